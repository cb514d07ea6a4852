import Foundation
import Logging
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
    /// Sets the core's wall clock now and then (REST username expiry).
    private let clockTask: RepeatedTask

    private init(driver: UDPCoreDriver<TURNServer>, clockTask: RepeatedTask) {
        self.driver = driver
        self.clockTask = clockTask
    }

    /// How often the core is told the wall-clock time (a stepped clock is followed within this).
    static let wallClockInterval = TimeAmount.seconds(60)

    /// Binds the listening endpoints of `configuration` (UDP sockets, then TCP listeners;
    /// all or none) and starts serving. `logger` gets one event per allocation created
    /// (info) or deleted (info), with the username but never a password or key.
    public static func start(_ configuration: TURNServerConfiguration, seed: UInt64 = UInt64.random(in: .min ... .max),
                             logger: Logger = Logger(label: "turn-server", factory: { _ in SwiftLogNoOpLogHandler() }),
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
                logger.info("allocation created", metadata: Self.metadata(allocation))
            case .allocationDeleted(let allocation, let reason):
                var metadata = Self.metadata(allocation)
                metadata["reason"] = .string(reason.rawValue)
                logger.info("allocation deleted", metadata: metadata)
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
        let setClock: @Sendable () -> Void = {
            _ = driver.withCore { core, now in core.setWallClock(unixSeconds: Date().timeIntervalSince1970, at: now) }
        }
        setClock()
        let clockTask = driver.eventLoop.scheduleRepeatedTask(initialDelay: wallClockInterval, delay: wallClockInterval) { _ in setClock() }
        return LiveTURNServer(driver: driver, clockTask: clockTask)
    }

    private static func metadata(_ allocation: TURNAllocationSummary) -> Logger.Metadata {
        ["user": .string(allocation.username), "client": .string(allocation.fiveTuple.client.description),
         "transport": .string(allocation.fiveTuple.transport.rawValue),
         "relayed": .string(allocation.relayed.map(\.description).joined(separator: " ")),
         "lifetime_s": .stringConvertible(Int(allocation.lifetime.seconds))]
    }

    /// Counters, socket counters and gauges in one reading (for metrics).
    public func snapshot() async -> TURNServerSnapshot {
        let empty = TURNServerSnapshot(counters: TURNServerCounters(), sockets: LiveCounters(), openSockets: 0, openConnections: [:],
                                       permissions: 0, channels: 0, draining: false)
        return (try? await driver.withCore { [driver] core, now in
            let bindings = core.liveBindings(now: now)
            return TURNServerSnapshot(counters: core.counters, sockets: driver.counters, openSockets: driver.openSockets,
                                      openConnections: driver.openStreamsByLocal, permissions: bindings.permissions,
                                      channels: bindings.channels, draining: core.isDraining)
        }.get()) ?? empty
    }

    /// Starts a graceful shutdown: new Allocates are refused (508, `TURNServer.beginDraining`)
    /// and the TCP/TLS listeners close (no new connections); existing allocations and
    /// connections go on until `stop()`.
    public func beginDraining() async {
        _ = try? await driver.withCore { core, _ in core.beginDraining() }.get()
        await driver.stopListeningStreams()
    }

    /// Allocations that exist now.
    public func activeAllocations() async -> Int {
        (try? await driver.withCore { core, _ in core.counters.allocationsActive }.get()) ?? 0
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
    public func stop() async {
        clockTask.cancel()
        await driver.close()
    }
}
