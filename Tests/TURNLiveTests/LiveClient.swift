import Foundation
import Live
import NetTypes
import TLS
import TURN

/// A `TURNClient` on a real loopback socket (UDP), or on a TCP connection the driver opens
/// to the server on its first write, with its events logged for tests to wait on.
final class LiveClient: @unchecked Sendable {
    let driver: UDPCoreDriver<TURNClient>
    private let lock = NSLock()
    private var log: [TURNClientEvent] = []

    private init(driver: UDPCoreDriver<TURNClient>) { self.driver = driver }

    /// Binds a socket on 127.0.0.1 (over UDP) and sends the Allocate to `server`; over
    /// TCP or TLS (with the client context `tls`) the Allocate opens the connection from
    /// 127.0.0.1.
    static func start(server: Endpoint, transport: TransportKind = .udp, tls: TLSContext? = nil,
                      username: String, password: String,
                      configure: (inout TURNClientConfiguration) -> Void = { _ in }) async throws -> LiveClient {
        let loopback = try Endpoint(parsing: "127.0.0.1:0")
        var configuration = TURNClientConfiguration(server: server, local: loopback, transport: transport, username: username, password: password)
        configuration.tls = tls
        configure(&configuration)
        var holder: LiveClient?
        let driver = UDPCoreDriver(core: TURNClient(configuration: configuration, rng: Xoshiro256(seed: 1))) { event, _ in
            holder?.record(event)
        }
        let client = LiveClient(driver: driver)
        holder = client
        // Over TCP the core's local endpoint only names the connection: nothing to bind.
        let local = transport == .udp ? try await driver.bind(loopback) : loopback
        let bound = { var bound = configuration; bound.local = local; return bound }()
        let seed = transport == .udp ? UInt64(local.port) : UInt64.random(in: .min ... .max)
        _ = try await driver.withCore { core, now in
            core = TURNClient(configuration: bound, rng: Xoshiro256(seed: seed))
            core.allocate(now: now)
        }.get()
        return client
    }

    private func record(_ event: TURNClientEvent) { lock.withLock { log.append(event) } }

    var events: [TURNClientEvent] { lock.withLock { log } }

    var received: [[UInt8]] { events.compactMap { if case .data(_, let bytes, _) = $0 { bytes } else { nil } } }

    /// Waits up to `seconds` for an event `predicate` accepts.
    func waitFor(seconds: Double = 5, _ predicate: (TURNClientEvent) -> Bool) async -> TURNClientEvent? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let event = events.first(where: predicate) { return event }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits for the allocation; its first relayed address.
    func relayed() async -> Endpoint? {
        guard case .allocated(let allocation) = await waitFor({ if case .allocated = $0 { true } else { false } }) else { return nil }
        return allocation.relayed.first
    }

    func withCore(_ body: @escaping @Sendable (inout TURNClient, Instant) -> Void) async throws {
        try await driver.withCore(body).get()
    }
}
