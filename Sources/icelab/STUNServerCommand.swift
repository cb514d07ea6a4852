import ArgumentParser
import Foundation
import Live
import NetTypes
import STUN

/// `icelab stun-server`: a STUN server (RFC 8489, RFC 5780) on real UDP sockets.
struct STUNServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stun-server",
        abstract: "Run a STUN server (RFC 8489) with RFC 5780 NAT behavior discovery support.")

    @Option(help: "Address and port to answer on, e.g. 192.0.2.1:3478 or [2001:db8::1]:3478.", transform: Endpoint.init(parsing:))
    var listen: Endpoint

    @Option(help: "A second address and port (RFC 5780): enables OTHER-ADDRESS and CHANGE-REQUEST.", transform: Endpoint.init(parsing:))
    var alternate: Endpoint?

    @Option(name: .customLong("short-term"), help: "Require short-term credentials USER:PASS (split at the last colon).")
    var shortTerm: Credential?

    @Option(help: "SOFTWARE attribute of responses.")
    var software = "icelab \(IcelabVersion.current)"

    @Option(help: "Stop after this many seconds (default: run until interrupted).")
    var duration: Double?

    @OptionGroup var server: ServerOptions

    func validate() throws {
        if listen.address.isUnspecified {
            throw ValidationError("--listen needs a concrete address: responses name it in RESPONSE-ORIGIN")
        }
        if let alternate {
            if alternate.address.family != listen.address.family {
                throw ValidationError("--alternate must be of the same address family as --listen")
            }
            if alternate.address == listen.address || alternate.port == listen.port {
                throw ValidationError("--alternate needs a different address and a different port than --listen (RFC 5780)")
            }
        }
    }

    func run() async throws {
        let config = STUNServerConfiguration(
            primary: listen, alternateAddress: alternate?.address, alternatePort: alternate?.port, software: software,
            shortTermCredential: shortTerm.map { STUNShortTermCredential(username: $0.username, password: $0.password) })
        let stops = StopSignals.install()
        let stun = try await listening { try await LiveSTUNServer.start(config) }
        let metrics = STUNMetrics()
        let endpoint: MetricsEndpoint?
        do {
            endpoint = try await server.startMetrics { metrics.render(counters: await stun.counters(), sockets: await stun.socketCounters()) }
        } catch {
            await stun.stop()
            throw error
        }
        let endpoints = await stun.localEndpoints.map(\.description).joined(separator: ", ")
        log("stun-server: listening on \(endpoints)\(shortTerm.map { " (short-term user \($0.username))" } ?? "")"
            + (endpoint.map { ", metrics on http://\($0.endpoint)/metrics" } ?? ""))
        server.logger("stun-server").debug("listening", metadata: ["endpoints": .string(endpoints)])
        await stops.wait(untilSignals: 1, orSeconds: duration)
        let counters = await stun.counters()
        let sockets = await stun.socketCounters()
        await endpoint?.stop()
        await stun.stop()
        let drops = counters.dropped.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }
        log("stun-server: stopped; datagrams in=\(sockets.received) out=\(sockets.sent); requests=\(counters.requests) "
            + "success=\(counters.successResponses) errors=\(counters.errorResponses) dropped=\(counters.droppedTotal)"
            + (drops.isEmpty ? "" : " (\(drops.joined(separator: " ")))"))
    }
}

/// Starts a server, turning a listening endpoint that cannot be bound (another server holds
/// the port) into a usage error: exit 2 with `icelab: cannot listen on HOST:PORT: reason`.
func listening<Server>(_ start: () async throws -> Server) async throws -> Server {
    do {
        return try await start()
    } catch let error as LiveError {
        guard case .cannotBind(let endpoint, _) = error else { throw error }
        throw UsageError("icelab: cannot listen on \(endpoint): \(error.reason)")
    }
}

/// Writes a line to standard error (human output; stdout is for `--json`).
func log(_ line: String) {
    try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
}
