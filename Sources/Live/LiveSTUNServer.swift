import NIOCore
import NIOPosix
import NetTypes
import STUN

/// The STUN server core on real UDP sockets: one socket per local transport address of
/// the configuration (up to four with an alternate address and port, for RFC 5780).
public final class LiveSTUNServer: Sendable {
    private let driver: UDPCoreDriver<STUNServer>

    private init(driver: UDPCoreDriver<STUNServer>) { self.driver = driver }

    /// Binds every local endpoint of `configuration` and starts answering.
    /// The primary address must be a concrete address: RFC 5780 responses name it.
    public static func start(_ configuration: STUNServerConfiguration,
                             group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> LiveSTUNServer {
        let driver = UDPCoreDriver(core: STUNServer(configuration: configuration), eventLoop: group.next())
        try await driver.bindAll(configuration.localEndpoints)
        return LiveSTUNServer(driver: driver)
    }

    /// The bound transport addresses.
    public var localEndpoints: [Endpoint] {
        get async { (try? await driver.eventLoop.submit { self.driver.localEndpoints }.get()) ?? [] }
    }

    /// What the core has answered and dropped so far.
    public func counters() async -> STUNServerCounters {
        (try? await driver.withCore { core, _ in core.counters }.get()) ?? STUNServerCounters()
    }

    /// Datagrams in and out at the socket level.
    public func socketCounters() async -> LiveCounters {
        (try? await driver.eventLoop.submit { self.driver.counters }.get()) ?? LiveCounters()
    }

    /// Closes the sockets.
    public func stop() async { await driver.close() }
}
