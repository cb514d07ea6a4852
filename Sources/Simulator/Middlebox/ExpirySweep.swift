import NetTypes

/// The periodic event that removes expired state (NAT mappings, firewall flows) from a
/// middlebox's table. State is also checked lazily on every lookup, so packets never see
/// expired state; the sweep only keeps tables (and observers) in step with time. It runs
/// only while the table holds entries: an idle middlebox schedules nothing, and no
/// per-packet timer events exist.
struct ExpirySweep {
    /// The event kind a middlebox receives in `handleEvent` when the sweep is due.
    static let eventKind: UInt32 = 1

    /// Time between sweeps.
    var interval: Duration
    private var pending = false

    init(interval: Duration) {
        self.interval = interval
    }

    /// Schedules the next sweep for `node` unless one is already pending.
    mutating func arm(for node: Node) {
        guard !pending else { return }
        pending = true
        node.simulation.schedule(at: node.simulation.now + interval, target: node.handlerID, kind: Self.eventKind)
    }

    /// Records that the scheduled sweep ran; re-arm if entries remain.
    mutating func fired() { pending = false }
}
