import NetTypes

/// A re-armable one-shot timer in virtual time: the way a driver wakes a sans-IO core at
/// its next deadline.
///
/// Cores move their deadline on nearly every input (a TCP sender re-arms its
/// retransmission timer with each acknowledgement), almost always later. So the timer
/// keeps at most one live wake-up on the event queue, at the earliest deadline it was
/// armed for: arming later than that wake-up only records the deadline, and the wake-up,
/// when it comes, sleeps again until the deadline. Arming earlier queues an earlier
/// wake-up and leaves the later one to be ignored (recognised by generation). The event
/// queue then holds one entry per timer instead of one per re-arming.
public final class SimTimer: EventHandler {
    private unowned(unsafe) let simulation: Simulation
    private var handlerID: Int32 = -1
    /// The generation of the live wake-up; queued wake-ups of other generations are stale.
    private var generation: Int64 = 0
    /// When the live wake-up is queued for (nil: none is).
    private var wakeUp: Instant?
    /// Called with the current time when the timer fires. Settable so that an owner can
    /// keep the timer in a constant property and still hand it a closure capturing itself.
    public var action: (Instant) -> Void
    /// The armed deadline, if any.
    public private(set) var deadline: Instant?

    /// A timer that calls `action` with the current time when it fires.
    public init(simulation: Simulation, action: @escaping (Instant) -> Void = { _ in }) {
        self.simulation = simulation
        self.action = action
        super.init()
        handlerID = simulation.register(self)
    }

    /// Fires at `time` (or now, if `time` is in the past); replaces any earlier arming.
    /// `Instant.distantFuture` disarms.
    public func arm(at time: Instant) {
        if time == .distantFuture { disarm(); return }
        deadline = time
        if let wakeUp, wakeUp <= time { return }
        queueWakeUp(at: time)
    }

    /// Cancels the pending firing, if any (a queued wake-up finds nothing to do).
    public func disarm() {
        deadline = nil
    }

    private func queueWakeUp(at time: Instant) {
        generation += 1
        wakeUp = time
        simulation.schedule(at: time, target: handlerID, arg: generation)
    }

    override public func handleEvent(kind: UInt32, arg: Int64) {
        guard arg == generation else { return }
        wakeUp = nil
        guard let deadline else { return }
        let now = simulation.now
        if deadline > now {
            queueWakeUp(at: deadline)
            return
        }
        self.deadline = nil
        action(now)
    }
}
