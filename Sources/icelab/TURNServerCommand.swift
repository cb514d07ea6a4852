import ArgumentParser
import Foundation
import Live
import Logging
import NetTypes
import TLS
import TURN

/// `icelab turn-server`: a TURN server (RFC 8656) on real sockets, reached over UDP, TCP
/// and TLS over TCP (RFC 8656 §3.1; TLS is the core's, OpenSSL's randomness); relayed
/// addresses are UDP.
struct TURNServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turn-server",
        abstract: "Run a TURN relay server (RFC 8656; clients over UDP, TCP and TLS) with long-term credentials.")

    @Option(help: "Address and port to answer on over UDP, e.g. 192.0.2.1:3478 (repeatable).", transform: Endpoint.init(parsing:))
    var listen: [Endpoint] = []

    @Option(name: .customLong("listen-tcp"), help: "Address and port to accept TURN clients on over TCP, e.g. 192.0.2.1:3478 (repeatable).",
            transform: Endpoint.init(parsing:))
    var listenTCP: [Endpoint] = []

    @Option(name: .customLong("listen-tls"), help: "Address and port to accept TURN clients on over TLS, e.g. 192.0.2.1:5349 (repeatable; needs --cert and --key).",
            transform: Endpoint.init(parsing:))
    var listenTLS: [Endpoint] = []

    @Option(help: "The server's certificate (PEM; intermediates may follow it), for --listen-tls.")
    var cert: String?

    @Option(help: "The private key of --cert (PEM, unencrypted), for --listen-tls.")
    var key: String?

    @Option(name: .customLong("max-connections-per-source"), help: "TCP/TLS connections one client address may hold at once; more are closed.")
    var maxConnectionsPerSource = 32

    @Option(name: .customLong("idle-timeout"),
            help: "Close a TCP/TLS connection without an allocation this many seconds after its last bytes (default 30).")
    var idleTimeout: Double = 30

    @Option(help: "REALM of the long-term credentials.")
    var realm: String

    @Option(name: .customLong("user"), help: "A user NAME:PASS (repeatable; split at the last colon).")
    var users: [Credential] = []

    @Option(name: .customLong("auth-secret"),
            help: "A shared secret of TURN REST credentials: usernames EXPIRY[:USER], passwords base64(HMAC-SHA1(secret, username)) (repeatable, for rotation; see icelab turn-credentials).")
    var authSecrets: [String] = []

    @Option(name: .customLong("auth-secret-file"), help: "A file of REST shared secrets, one per line (# comments and blank lines ignored).")
    var authSecretFile: String?

    @Option(name: .customLong("max-bps-per-user"), help: "Relayed bandwidth one user may use, bits per second, both directions (default: no limit).")
    var maxBitsPerSecondPerUser: Int?

    @Option(name: .customLong("drain-seconds"),
            help: "On SIGTERM/SIGINT refuse new allocations (508) and connections, let existing allocations run up to this long, then stop; a second signal stops at once (default 0: stop at once).")
    var drainSeconds: Double = 0

    @OptionGroup var server: ServerOptions

    @Option(name: .customLong("relay-address"), help: "Address to allocate relayed addresses on (repeatable; default: the listen addresses).",
            transform: IPAddress.init(parsing:))
    var relayAddresses: [IPAddress] = []

    @Option(name: .customLong("relay-ports"), help: "Port range of relayed addresses, LOW-HIGH.")
    var relayPorts = "49152-65535"

    @Option(name: .customLong("allow-peer"), help: "Relay to this prefix although the default policy refuses it, e.g. 127.0.0.0/8 (repeatable).",
            transform: IPPrefix.init(parsing:))
    var allowPeers: [IPPrefix] = []

    @Option(name: .customLong("deny-peer"), help: "Never relay to this prefix (repeatable; wins over --allow-peer).",
            transform: IPPrefix.init(parsing:))
    var denyPeers: [IPPrefix] = []

    @Option(name: .customLong("max-allocations-per-user"), help: "Allocations one user may hold at once.")
    var perUser = 10

    @Option(name: .customLong("max-allocations"), help: "Allocations the server holds at once.")
    var capacity = 10_000

    @Option(name: .customLong("min-lifetime"),
            help: "Shortest allocation lifetime granted, in seconds: a shorter LIFETIME is raised to it (default 600, RFC 8656 §7.2 raises short requests to the default; lower it to honour them).")
    var minLifetime: Int64 = 600

    @Option(name: .customLong("max-lifetime"), help: "Longest allocation lifetime granted, in seconds (default 3600).")
    var maxLifetime: Int64 = 3600

    @Option(help: "SOFTWARE attribute of responses.")
    var software = "icelab \(IcelabVersion.current)"

    @Option(help: "Stop after this many seconds (default: run until interrupted).")
    var duration: Double?

    func validate() throws {
        if allListening.isEmpty {
            throw ValidationError("give at least one --listen HOST:PORT (UDP), --listen-tcp HOST:PORT or --listen-tls HOST:PORT")
        }
        if allListening.contains(where: { $0.address.isUnspecified }) || relayAddresses.contains(where: \.isUnspecified) {
            throw ValidationError("--listen, --listen-tcp, --listen-tls and --relay-address need concrete addresses: responses name them")
        }
        let streams = listenTCP + listenTLS
        if Set(streams).count != streams.count {
            throw ValidationError("each --listen-tcp and --listen-tls endpoint may be given once (TCP and TLS cannot share a port)")
        }
        if !listenTLS.isEmpty && (cert == nil || key == nil) {
            throw ValidationError("--listen-tls needs --cert FILE and --key FILE (PEM)")
        }
        if listenTLS.isEmpty && (cert != nil || key != nil) {
            throw ValidationError("--cert and --key are for --listen-tls; give a --listen-tls HOST:PORT or leave them out")
        }
        if maxConnectionsPerSource < 1 { throw ValidationError("--max-connections-per-source must be at least 1") }
        if !(idleTimeout > 0 && idleTimeout <= 86_400) { throw ValidationError("--idle-timeout must be more than 0 and at most 86400 seconds") }
        if users.isEmpty && authSecrets.isEmpty && authSecretFile == nil {
            throw ValidationError("give at least one --user NAME:PASS, --auth-secret SECRET or --auth-secret-file FILE")
        }
        if authSecrets.contains(where: \.isEmpty) { throw ValidationError("--auth-secret must not be empty") }
        if let bps = maxBitsPerSecondPerUser, bps < 8_000 { throw ValidationError("--max-bps-per-user must be at least 8000 (one 1,000-byte packet a second)") }
        if !(drainSeconds >= 0 && drainSeconds <= 86_400) { throw ValidationError("--drain-seconds must be between 0 and 86400") }
        if ports == nil { throw ValidationError("--relay-ports must be LOW-HIGH with 1 <= LOW <= HIGH <= 65535") }
        if minLifetime < 1 || maxLifetime < minLifetime || maxLifetime > Int64(UInt32.max) {
            throw ValidationError("lifetimes need 1 <= --min-lifetime <= --max-lifetime <= \(UInt32.max) seconds")
        }
    }

    /// Every listening endpoint, UDP, TCP and TLS.
    var allListening: [Endpoint] { listen + listenTCP + listenTLS }

    /// The TCP listeners and what they carry.
    var streamListening: [Endpoint: TransportKind] {
        Dictionary(listenTCP.map { ($0, TransportKind.tcp) } + listenTLS.map { ($0, TransportKind.tls) }) { first, _ in first }
    }

    /// The server's TLS context from --cert and --key; nil without --listen-tls. A file
    /// that cannot be read, is not PEM, or a key that does not match is bad input (exit 2).
    func tlsContext() throws -> TLSContext? {
        listenTLS.isEmpty ? nil : try serverTLSContext(cert: cert, key: key)
    }

    /// The REST secrets: `--auth-secret`s, then the lines of `--auth-secret-file`. A file
    /// that cannot be read or holds none is bad input (exit 2); its secrets are never printed.
    func restSecrets() throws -> [String] {
        guard let authSecretFile else { return authSecrets }
        return authSecrets + (try secrets(inFile: authSecretFile, option: "--auth-secret-file"))
    }

    /// `--relay-ports` as a range.
    var ports: ClosedRange<UInt16>? {
        let parts = relayPorts.split(separator: "-")
        guard parts.count == 2, let low = UInt16(parts[0]), let high = UInt16(parts[1]), low >= 1, low <= high else { return nil }
        return low...high
    }

    func run() async throws {
        var configuration = TURNServerConfiguration(
            listening: listen, realm: realm, users: Dictionary(users.map { ($0.username, $0.password) }) { _, last in last },
            relayAddresses: relayAddresses, relayPorts: ports!, minLifetime: .seconds(minLifetime), maxLifetime: .seconds(maxLifetime),
            maxAllocationsPerUser: perUser, maxAllocations: capacity,
            peerPolicy: TURNPeerPolicy(allow: allowPeers, deny: denyPeers), software: software)
        configuration.streamListening = streamListening
        configuration.tls = try tlsContext()
        configuration.maxStreamsPerSource = maxConnectionsPerSource
        configuration.streamIdleTimeout = .fromSeconds(idleTimeout)
        configuration.restSecrets = try restSecrets()
        configuration.maxBitsPerSecondPerUser = maxBitsPerSecondPerUser
        let logger = server.logger("turn-server")
        let stops = StopSignals.install()
        let turn = try await listening { try await LiveTURNServer.start(configuration, logger: logger) }
        let metrics = TURNMetrics()
        let endpoint: MetricsEndpoint?
        do {
            endpoint = try await server.startMetrics { metrics.render(await turn.snapshot()) }
        } catch {
            await turn.stop()
            throw error
        }
        log("turn-server: listening on \(listenerSummary) realm \(realm), \(credentialSummary(restSecrets: configuration.restSecrets.count)), "
            + "relay ports \(relayPorts)" + peerSummary + (endpoint.map { ", metrics on http://\($0.endpoint)/metrics" } ?? ""))
        await stops.wait(untilSignals: 1, orSeconds: duration)
        if drainSeconds > 0 { await drain(turn, stops: stops, logger: logger) }
        let snapshot = await turn.snapshot()
        await endpoint?.stop()
        await turn.stop()
        log(Self.stopSummary(snapshot))
    }

    /// The graceful part of a shutdown: no new allocations or connections, existing
    /// allocations run until they end, `--drain-seconds` pass, or a second signal comes.
    private func drain(_ turn: LiveTURNServer, stops: StopSignals, logger: Logger) async {
        await turn.beginDraining()
        let active = await turn.activeAllocations()
        log("turn-server: draining: new allocations refused (508), \(active) allocation(s) may run up to \(drainSeconds) s; signal again to stop now")
        logger.notice("draining", metadata: ["allocations": .stringConvertible(active), "drain_seconds": .stringConvertible(drainSeconds)])
        let deadline = Date().addingTimeInterval(drainSeconds)
        while stops.count < 2, Date() < deadline, await turn.activeAllocations() > 0 {
            await stops.wait(untilSignals: 2, orSeconds: min(0.5, deadline.timeIntervalSinceNow))
        }
    }

    private var listenerSummary: String {
        (listen.map { "\($0) (udp)" } + listenTCP.map { "\($0) (tcp)" } + listenTLS.map { "\($0) (tls)" }).joined(separator: ", ")
    }

    /// How many users and secrets, never what they are.
    private func credentialSummary(restSecrets: Int) -> String {
        "\(users.count) user(s)" + (restSecrets > 0 ? ", \(restSecrets) REST secret(s)" : "")
    }

    private var peerSummary: String {
        (allowPeers.isEmpty ? "" : ", allowed peers \(allowPeers.map(\.description).joined(separator: " "))")
            + (denyPeers.isEmpty ? "" : ", denied peers \(denyPeers.map(\.description).joined(separator: " "))")
    }

    /// The line the server ends with: what it did, from the last snapshot.
    static func stopSummary(_ snapshot: TURNServerSnapshot) -> String {
        let counters = snapshot.counters, sockets = snapshot.sockets
        let errors = counters.errorResponses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let drops = counters.dropped.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }
        let socketPart = "datagrams in=\(sockets.received) out=\(sockets.sent) unroutable=\(sockets.unroutable); "
            + "sockets open at stop=\(snapshot.openSockets); connections accepted=\(sockets.streamsAccepted) "
            + "open at stop=\(snapshot.openConnectionsTotal) refused=\(counters.streamsRefused) timed out=\(counters.streamsTimedOut) "
            + "overflowed=\(sockets.streamOverflows), stream bytes in=\(sockets.streamBytesReceived) out=\(sockets.streamBytesSent); "
        let corePart = "allocations total=\(counters.allocationsTotal) active=\(counters.allocationsActive); "
            + "requests=\(counters.requests) errors=[\(errors.joined(separator: " "))]; "
            + "relayed to peers=\(counters.packetsToPeers) pkts/\(counters.bytesToPeers) B, "
            + "to clients=\(counters.packetsToClients) pkts/\(counters.bytesToClients) B; "
            + "dropped=\(counters.droppedTotal)" + (drops.isEmpty ? "" : " (\(drops.joined(separator: " ")))")
        return "turn-server: stopped; " + socketPart + corePart
    }
}
