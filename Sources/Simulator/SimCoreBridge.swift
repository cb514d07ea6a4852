import NetTypes

/// Runs a sans-IO core in virtual time without sockets: the core's `.transmit` datagrams
/// go to `onTransmit` (e.g. into an ICE agent's selected pair), datagrams for the core
/// come in through `deliver(_:)`, and a `SimTimer` wakes the core at its deadline. The
/// driver for cores that ride on another core's transport, as media on an ICE session.
///
/// The per-datagram path is inlinable so that each client module specialises it for its
/// core: unspecialised, every delivery looked up generic metadata and called the core
/// through witness tables.
public final class SimCoreBridge<Core: SansIOCore> {
    /// The core; mutate it through `withCore` so that its outputs are drained. Yielded in
    /// place, so that reading one field of it (per packet, in the session glue) does not
    /// copy the whole core and retain everything it holds.
    public var core: Core { _read { yield state } }
    @usableFromInline var state: Core
    @usableFromInline unowned(unsafe) let simulation: Simulation
    /// Constant, so that a drain does not retain it around `arm`.
    @usableFromInline let timer: SimTimer
    @usableFromInline var loop = CoreDrain()
    /// Called for every datagram the core sends, which it hands over (no copy of the
    /// payload's reference). Constant: a closure that could be replaced would have to
    /// be retained around every call.
    public let onTransmit: (consuming Datagram) -> Void
    /// Called for every event the core reports.
    public let onEvent: (Core.Event) -> Void

    public init(simulation: Simulation, core: Core, onTransmit: @escaping (consuming Datagram) -> Void = { _ in },
                onEvent: @escaping (Core.Event) -> Void = { _ in }) {
        self.simulation = simulation
        self.state = core
        self.onTransmit = onTransmit
        self.onEvent = onEvent
        timer = SimTimer(simulation: simulation)
        timer.action = { [unowned self] now in
            self.state.handleTimeout(now: loop.now(now))
            drain()
        }
    }

    /// Hands a received datagram to the core at the current virtual time.
    @inlinable public func deliver(_ datagram: Datagram) {
        state.handle(datagram, now: loop.now(simulation.now))
        drain()
    }

    /// Runs `body` on the core at the current virtual time, then drains its outputs.
    @inlinable @discardableResult
    public func withCore<T>(_ body: (inout Core, Instant) -> T) -> T {
        let result = body(&state, loop.now(simulation.now))
        drain()
        return result
    }

    @inlinable func drain() {
        // The callbacks wrapped rather than passed: passing a stored closure copies it
        // (a retain and a release of its context per drain).
        timer.arm(at: loop.run(poll: { state.pollOutput() }, transmit: { onTransmit($0) }, event: { onEvent($0) }))
    }
}
