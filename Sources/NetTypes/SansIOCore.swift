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

/// The one contract of every protocol core (STUN transactions, TURN, ICE, media, and the
/// stream and security cores to come).
///
/// A core is a plain state machine: no sockets, threads, clocks or global randomness.
/// Time comes in as `now`; randomness comes from a seeded `Xoshiro256` the driver hands
/// over at construction. The simulator's drivers (`SimCoreDriver`, `SimCoreBridge`) and the
/// live one (`UDPCoreDriver`) run the same cores through the same loop (`CoreDrain`).
///
/// **Call order.** A driver feeds one input at a time: `handle(_:now:)` for a datagram,
/// `handleTimeout(now:)` when the clock reaches the deadline the core last reported, or a
/// core-specific mutating call (e.g. `ICEAgent.addRemoteCandidate(_:now:)`) made through
/// the driver's `withCore`. After **every** input the driver drains: it calls
/// `pollOutput()` until it returns `.timeout`, sending each `.transmit` and handling each
/// `.event` in order, then arms one timer at the returned deadline (replacing the previous
/// one; `Instant.distantFuture` means none). A timeout may arrive late or spuriously
/// (before the deadline); a core checks which of its timers are due and does nothing for
/// the others.
///
/// **Time.** `now` never goes backwards across the inputs of one core, and cores rely on
/// it. The drivers guarantee it: `CoreDrain.now(_:)` hands a core the later of the clock's
/// reading and the latest `now` it handed before, so a clock that steps back (a wall clock
/// adjusted, a driver bug) holds the core's time still instead of moving its deadlines
/// backwards.
///
/// **Drain.** A drain must be complete: outputs queued by an input and not drained before
/// the next input would be sent late, and a deadline not re-armed after a mutation would
/// leave the core without a wake-up. Events are delivered synchronously; a handler may
/// feed other cores, bind or close sockets on its driver, and feed the core whose event
/// it handles through the driver's `withCore` (a TURN server is told whether the relayed
/// socket it asked for could be bound): that input's drain runs nested, sending what it
/// produced before the outer drain polls on.
///
/// Cores keep their timers in a `TimerTable` whose minimum is the reported deadline.
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
