import NIOCore
import NIOPosix
import NetTypes
import TURN

/// The TURN server core on real sockets: one UDP socket per listening endpoint, one TCP
/// listener per `streamListening` endpoint (clients over TCP, or TLS that the core
/// speaks itself; RFC 8656 §3.1), and one UDP socket per relayed transport address, bound
/// when the core asks (before it answers the Allocate) and closed when it says so.
public final class LiveTURNServer: Sendable {
    private let driver: UDPCoreDriver<TURNServer>

    private init(driver: UDPCoreDriver<TURNServer>) { self.driver = driver }

    /// Binds the listening endpoints of `configuration` (UDP sockets, then TCP listeners;
    /// all or none) and starts serving. `log` gets one
    /// line per allocation created or deleted (on the event loop: keep it cheap).
    public static func start(_ configuration: TURNServerConfiguration, seed: UInt64 = UInt64.random(in: .min ... .max),
                             log: @escaping @Sendable (String) -> Void = { _ in },
                             group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> LiveTURNServer {
        let core = TURNServer(configuration: configuration, rng: Xoshiro256(seed: seed))
        let driver = UDPCoreDriver(core: core, eventLoop: group.next()) { event, driver in
            switch event {
            case .bindRelay(let endpoint):
                driver.open(endpoint).whenComplete { result in
                    _ = driver.withCore { core, now in
                        switch result {
                        case .success:
                            core.relayBound(endpoint, now: now)
                        case .failure(let error):
                            let inUse = (error as? LiveError)?.isAddressInUse == true
                            core.relayUnavailable(endpoint, because: inUse ? .addressInUse : .unavailable, now: now)
                        }
                    }
                }
            case .relayClosed(let endpoint):
                driver.closeSocket(endpoint)
            case .allocationCreated(let allocation):
                log("allocation created: \(allocation)")
            case .allocationDeleted(let allocation, let reason):
                log("allocation deleted (\(reason.rawValue)): \(allocation)")
            }
        }
        try await driver.bindAll(configuration.listening)
        do {
            for (endpoint, transport) in configuration.streamListening.sorted(by: { $0.key.description < $1.key.description }) {
                try await driver.listenStream(on: endpoint, transport: transport)
            }
        } catch {
            await driver.close()
            throw error
        }
        return LiveTURNServer(driver: driver)
    }

    /// What the core has done so far.
    public func counters() async -> TURNServerCounters {
        (try? await driver.withCore { core, _ in core.counters }.get()) ?? TURNServerCounters()
    }

    /// Datagrams and stream bytes in and out at the socket level, the UDP sockets open now
    /// (listening and relayed) and the TCP connections open now (each a client over TCP or
    /// TLS; listeners are not counted).
    public func socketCounters() async -> (counters: LiveCounters, openSockets: Int, openConnections: Int) {
        (try? await driver.eventLoop.submit { (self.driver.counters, self.driver.openSockets, self.driver.openStreams) }.get())
            ?? (LiveCounters(), 0, 0)
    }

    /// Closes every socket.
    public func stop() async { await driver.close() }
}
