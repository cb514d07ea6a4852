import NetTypes

/// A re-armable one-shot timer in virtual time: the way a driver wakes a sans-IO core at
/// its next deadline. Re-arming replaces the previous deadline without touching the
/// queue (stale entries are recognised by generation and ignored).
public final class SimTimer: EventHandler {
    private unowned(unsafe) let simulation: Simulation
    private var handlerID: Int32 = -1
    private var generation: Int64 = 0
    private let action: (Instant) -> Void
    /// The armed deadline, if any.
    public private(set) var deadline: Instant?

    /// A timer that calls `action` with the current time when it fires.
    public init(simulation: Simulation, action: @escaping (Instant) -> Void) {
        self.simulation = simulation
        self.action = action
        handlerID = simulation.register(self)
    }

    /// Fires at `time` (or now, if `time` is in the past); replaces any earlier arming.
    /// `Instant.distantFuture` disarms.
    public func arm(at time: Instant) {
        if time == .distantFuture { disarm(); return }
        if deadline == time { return }
        generation += 1
        deadline = time
        simulation.schedule(at: time, target: handlerID, arg: generation)
    }

    /// Cancels the pending firing, if any.
    public func disarm() {
        generation += 1
        deadline = nil
    }

    public func handleEvent(kind: UInt32, arg: Int64) {
        guard arg == generation, deadline != nil else { return }
        deadline = nil
        action(simulation.now)
    }
}
