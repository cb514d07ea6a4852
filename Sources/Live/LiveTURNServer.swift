import NIOCore
import NIOPosix
import NetTypes
import TURN

/// The TURN server core on real UDP sockets: one socket per listening endpoint, and one
/// per relayed transport address, bound when the core asks (before it answers the
/// Allocate) and closed when it says so.
public final class LiveTURNServer: Sendable {
    private let driver: UDPCoreDriver<TURNServer>

    private init(driver: UDPCoreDriver<TURNServer>) { self.driver = driver }

    /// Binds the listening endpoints of `configuration` and starts serving. `log` gets one
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
        return LiveTURNServer(driver: driver)
    }

    /// What the core has done so far.
    public func counters() async -> TURNServerCounters {
        (try? await driver.withCore { core, _ in core.counters }.get()) ?? TURNServerCounters()
    }

    /// Datagrams in and out at the socket level, and the sockets open now (listening and
    /// relayed).
    public func socketCounters() async -> (counters: LiveCounters, openSockets: Int) {
        (try? await driver.eventLoop.submit { (self.driver.counters, self.driver.openSockets) }.get()) ?? (LiveCounters(), 0)
    }

    /// Closes every socket.
    public func stop() async { await driver.close() }
}
