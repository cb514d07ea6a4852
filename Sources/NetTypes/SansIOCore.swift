/// What a sans-IO protocol core asks its driver to do next.
///
/// Drivers (the simulator, the live socket layer) call `pollOutput()` after every input
/// until it returns `.timeout`, carrying out each `.transmit` and handling each `.event`.
public enum CoreOutput<Event> {
    /// Send these bytes.
    case transmit(Datagram)
    /// Something the application should know about.
    case event(Event)
    /// Nothing more to do now; call `handleTimeout(now:)` at this instant
    /// (`Instant.distantFuture` when no timer is armed).
    case timeout(Instant)
}

/// The one contract of every protocol core (STUN transactions, TURN, ICE, DTLS, ...).
///
/// A core is a plain state machine: no sockets, threads, clocks or global randomness.
/// Time comes in as `now`; randomness comes from a seeded `Xoshiro256` the driver hands
/// over at construction. Every mutation is followed by a full drain of `pollOutput()`.
/// (`SendableMetatype`: live drivers hand cores between an event loop and callers.)
public protocol SansIOCore: SendableMetatype {
    associatedtype Event

    /// Feeds a datagram received at `now`.
    mutating func handle(_ datagram: Datagram, now: Instant)
    /// Tells the core that `now` has reached (or passed) its last reported deadline.
    mutating func handleTimeout(now: Instant)
    /// The next output; `.timeout` once nothing else is pending.
    mutating func pollOutput() -> CoreOutput<Event>
}
