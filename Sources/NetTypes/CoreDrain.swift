/// The loop every driver runs around a sans-IO core (the `SansIOCore` contract): one
/// per driven core, shared by the simulator's drivers and the live one so that they
/// cannot drift apart as cores are added.
///
/// A driver passes each clock reading through `now(_:)` before feeding the core, then
/// calls `run` with closures that send a datagram and handle an event, and arms its
/// timer at the deadline `run` returns. The core is polled through a closure, not held
/// by the drain, so an event handler may use the driver (bind or close sockets, touch
/// other cores) while the drain is under way.
public struct CoreDrain: Sendable {
    /// The latest time handed to the core.
    public var latest: Instant { handed }
    @usableFromInline var handed = Instant(nanoseconds: .min)

    public init() {}

    /// The time to hand the core for a clock reading of `clock`: the reading, or the
    /// latest time handed before when the clock stepped back.
    @inlinable
    public mutating func now(_ clock: Instant) -> Instant {
        if clock > handed { handed = clock }
        return handed
    }

    /// Polls until the core reports its deadline, handing each datagram to `transmit` and
    /// each event to `event` in order; returns the deadline (`distantFuture`: none).
    @inlinable
    public func run<Event>(poll: () -> CoreOutput<Event>, transmit: (consuming Datagram) -> Void, event: (Event) -> Void) -> Instant {
        while true {
            switch poll() {
            case .transmit(let datagram): transmit(datagram)
            case .event(let output): event(output)
            case .timeout(let deadline): return deadline
            }
        }
    }
}
