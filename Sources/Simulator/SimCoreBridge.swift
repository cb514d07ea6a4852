import NetTypes

/// Runs a sans-IO core in virtual time without sockets: the core's `.transmit` datagrams
/// go to `onTransmit` (e.g. into an ICE agent's selected pair), datagrams for the core
/// come in through `deliver(_:)`, and a `SimTimer` wakes the core at its deadline. The
/// driver for cores that ride on another core's transport, as media on an ICE session.
public final class SimCoreBridge<Core: SansIOCore> {
    /// The core; mutate it through `withCore` so that its outputs are drained. Stored, so
    /// that reading one field of it (per packet, in the session glue) does not copy the
    /// whole core and retain everything it holds.
    public private(set) var core: Core
    private unowned let simulation: Simulation
    private var timer: SimTimer!
    private var loop = CoreDrain()
    /// Called for every datagram the core sends.
    public var onTransmit: (Datagram) -> Void
    /// Called for every event the core reports.
    public var onEvent: (Core.Event) -> Void

    public init(simulation: Simulation, core: Core, onTransmit: @escaping (Datagram) -> Void = { _ in },
                onEvent: @escaping (Core.Event) -> Void = { _ in }) {
        self.simulation = simulation
        self.core = core
        self.onTransmit = onTransmit
        self.onEvent = onEvent
        timer = SimTimer(simulation: simulation) { [unowned self] now in
            self.core.handleTimeout(now: loop.now(now))
            drain()
        }
    }

    /// Hands a received datagram to the core at the current virtual time.
    public func deliver(_ datagram: Datagram) {
        core.handle(datagram, now: loop.now(simulation.now))
        drain()
    }

    /// Runs `body` on the core at the current virtual time, then drains its outputs.
    @discardableResult
    public func withCore<T>(_ body: (inout Core, Instant) -> T) -> T {
        let result = body(&core, loop.now(simulation.now))
        drain()
        return result
    }

    private func drain() {
        timer.arm(at: loop.run(poll: { core.pollOutput() }, transmit: onTransmit, event: onEvent))
    }
}
