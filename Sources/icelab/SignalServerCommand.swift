import ArgumentParser
import Foundation
import Live
import NetTypes
import Signaling

/// `icelab signal-server`: a WebRTC signaling server (rooms over WebSocket, JSON
/// messages; docs/signaling.md) that also serves the demo page at `/` and the ICE
/// servers at `/config`, with TURN REST credentials for `turn-server --auth-secret`.
struct SignalServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal-server",
        abstract: "Run a WebRTC signaling server (WebSocket rooms) serving a demo page and ICE server configuration.")

    @Option(help: "Address and port to serve HTTP(S) and the WebSocket on, e.g. 127.0.0.1:8080.", transform: Endpoint.init(parsing:))
    var listen: Endpoint

    @Option(help: "The server's certificate (PEM; intermediates may follow it): serve HTTPS and WSS (browsers need them off localhost).")
    var cert: String?

    @Option(help: "The private key of --cert (PEM, unencrypted).")
    var key: String?

    @Option(help: "A STUN URL for /config, e.g. stun:192.0.2.1:3478 (repeatable).")
    var stun: [String] = []

    @Option(help: "A TURN URL for /config, e.g. turn:192.0.2.1:3478?transport=udp (repeatable; needs --turn-secret).")
    var turn: [String] = []

    @Option(name: .customLong("turn-secret"), help: "The shared secret of turn-server --auth-secret: /config hands out TURN REST credentials made with it.")
    var turnSecret: String?

    @Option(name: .customLong("turn-secret-file"), help: "Read --turn-secret from the first secret of this file (one per line, # comments; keeps it out of the process list).")
    var turnSecretFile: String?

    @Option(name: .customLong("credential-ttl"), help: "Seconds a TURN credential of /config stays valid.")
    var credentialTTL: Int64 = 3_600

    @Option(name: .customLong("room-size"), help: "Members a room holds.")
    var roomSize = 2

    @Option(name: .customLong("max-rooms"), help: "Rooms open at once.")
    var maxRooms = 1_000

    @Option(name: .customLong("max-clients"), help: "WebSocket clients connected at once.")
    var maxClients = 4_000

    @Option(name: .customLong("max-message-bytes"), help: "Largest signaling message, in bytes.")
    var maxMessageBytes = 64 * 1024

    @Option(name: .customLong("messages-per-second"), help: "Messages a client may send per second on average (bursts of 5 seconds' worth pass).")
    var messagesPerSecond = 20.0

    @Option(help: "Stop after this many seconds (default: run until interrupted).")
    var duration: Double?

    @OptionGroup var server: ServerOptions

    func validate() throws {
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together (PEM files)") }
        if !turn.isEmpty && turnSecret == nil && turnSecretFile == nil {
            throw ValidationError("--turn needs --turn-secret SECRET or --turn-secret-file FILE (the turn-server's --auth-secret)")
        }
        if turnSecret != nil && turnSecretFile != nil { throw ValidationError("give --turn-secret or --turn-secret-file, not both") }
        if turnSecret?.isEmpty == true { throw ValidationError("--turn-secret must not be empty") }
        for url in stun where !url.hasPrefix("stun:") && !url.hasPrefix("stuns:") { throw ValidationError("--stun \(url): a stun: or stuns: URL (RFC 7064)") }
        for url in turn where !url.hasPrefix("turn:") && !url.hasPrefix("turns:") { throw ValidationError("--turn \(url): a turn: or turns: URL (RFC 7065)") }
        if !(60...(7 * 86_400)).contains(credentialTTL) { throw ValidationError("--credential-ttl must be between 60 and 604800 seconds") }
        if !(2...64).contains(roomSize) { throw ValidationError("--room-size must be between 2 and 64") }
        if maxRooms < 1 || maxClients < 1 { throw ValidationError("--max-rooms and --max-clients must be at least 1") }
        if !(1_024...(16 << 20)).contains(maxMessageBytes) { throw ValidationError("--max-message-bytes must be between 1024 and 16777216") }
        if !(messagesPerSecond >= 1 && messagesPerSecond <= 10_000) { throw ValidationError("--messages-per-second must be between 1 and 10000") }
    }

    var limits: SignalingLimits {
        var limits = SignalingLimits()
        limits.roomSize = roomSize
        limits.maxRooms = maxRooms
        limits.maxClients = maxClients
        limits.maxMessageBytes = maxMessageBytes
        limits.messagesPerSecond = messagesPerSecond
        limits.messageBurst = 5 * messagesPerSecond
        return limits
    }

    /// The TURN secret, from the option or the file's first secret line (a file with
    /// several, as `turn-server --auth-secret-file` takes for rotation: the newest first).
    func secret() throws -> String? {
        guard let turnSecretFile else { return turnSecret }
        return try secrets(inFile: turnSecretFile, option: "--turn-secret-file").first
    }

    func run() async throws {
        let iceServers = ICEServerConfiguration(stunURLs: stun, turnURLs: turn, turnSecret: try secret(), credentialTTL: credentialTTL)
        let configuration = LiveSignalServer.Configuration(listen: listen, limits: limits, iceServers: iceServers, tls: try serverTLSContext(cert: cert, key: key))
        if !listen.address.isLoopback && cert == nil {
            log("signal-server: warning: plain HTTP off loopback: browsers allow getUserMedia only on HTTPS or localhost (give --cert and --key)")
        }
        let stops = StopSignals.install()
        let signal = try await listening { try await LiveSignalServer.start(configuration) }
        let metrics = SignalingMetrics()
        let endpoint: MetricsEndpoint?
        do {
            endpoint = try await server.startMetrics { metrics.render(signal.counters()) }
        } catch {
            await signal.stop()
            throw error
        }
        let scheme = cert == nil ? "http" : "https"
        log("signal-server: serving \(scheme)://\(signal.endpoint)/ (WebSocket \(LiveSignalServer.webSocketPath), ICE servers /config: "
            + "\(stun.count) STUN, \(turn.count) TURN URL(s)), rooms of \(roomSize)"
            + (endpoint.map { ", metrics on http://\($0.endpoint)/metrics" } ?? ""))
        server.logger("signal-server").debug("listening", metadata: ["endpoint": .string(signal.endpoint.description)])
        await stops.wait(untilSignals: 1, orSeconds: duration)
        let counters = signal.counters()
        await endpoint?.stop()
        await signal.stop()
        let refused = counters.refused.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        log("signal-server: stopped; clients total=\(counters.clientsTotal) open at stop=\(counters.clients) rooms open=\(counters.rooms) "
            + "relayed=\(counters.relayed) refused=[\(refused.joined(separator: " "))]")
    }
}
