import NetTypes

/// The state of CoDel (RFC 8289 §5) on one link direction, and its per-packet decision.
///
/// The link computes each packet's dequeue time when it arrives (the serializer is FIFO
/// and a packet's transmission start is known then), so CoDel's dequeue-time logic runs
/// at arrival with the packet's dequeue time as `now` and its sojourn time (start minus
/// arrival) — in dequeue order, since FIFO keeps arrival order. A dropped packet takes no
/// transmission time, so the next one dequeues at the same instant, which is how the
/// RFC's drop loop within one dequeue appears here. One approximation: the check that more
/// than one MTU is still queued (§5.4's `bytes() <= maxpacket`) reads the backlog the
/// packet found on arrival, not the one behind it at dequeue, which is not known yet.
struct CoDelState {
    let target: Int64
    let interval: Int64
    /// Mark ECN-capable packets instead of dropping them (RFC 8289 §5).
    let marking: Bool
    /// The L4S step threshold for ECT(1) and CE packets (nanoseconds), or nil.
    let l4sStep: Int64?
    /// When the sojourn time first went (and stayed) above target, plus interval; 0: not above.
    private var firstAboveTime: Int64 = 0
    /// In the dropping state (§5.5).
    private var dropping = false
    /// Drops in the current dropping state, and in the previous one.
    private var count: UInt32 = 0
    private var lastCount: UInt32 = 0
    /// The next drop in the dropping state.
    private var dropNext: Int64 = 0
    /// A drop in the dropping state happened: the control law advances `dropNext` with
    /// the next packet whose sojourn still allows dropping (the RFC does so after the
    /// next `dodequeue`).
    private var advancePending = false

    init(_ parameters: CoDelParameters) {
        target = parameters.target.nanoseconds
        interval = parameters.interval.nanoseconds
        marking = parameters.ecn
        l4sStep = parameters.l4sStep?.nanoseconds
    }

    /// What happens to the packet of codepoint `ecn` dequeued at `now` after waiting
    /// `sojourn` with `backlog` bytes queued. With an L4S step, ECT(1) and CE packets (the
    /// L4S identifier, RFC 9331 §5.1) are marked once they waited `l4sStep` and bypass the
    /// control law, as they would bypass the classic queue of a DualQ (RFC 9332 §2.5).
    mutating func verdict(now: Int64, sojourn: Int64, backlog: Int, mtu: Int, ecn: ECNCodepoint) -> AQMVerdict {
        if let l4sStep, ecn == .ect1 || ecn == .ce { return sojourn >= l4sStep ? .mark : .pass }
        guard drops(now: now, sojourn: sojourn, backlog: backlog, mtu: mtu) else { return .pass }
        return .signal(marking: marking, ecn)
    }

    /// Whether the packet dequeued at `now` (nanoseconds) after waiting `sojourn`, with
    /// `backlog` bytes ahead of it on arrival, gets a congestion signal (a drop, or a mark
    /// when it is ECN-capable and marking is on; the control law counts both); updates
    /// the state.
    mutating func drops(now: Int64, sojourn: Int64, backlog: Int, mtu: Int) -> Bool {
        let okToDrop = allowsDrop(now: now, sojourn: sojourn, backlog: backlog, mtu: mtu)
        if dropping {
            guard okToDrop else {
                dropping = false
                advancePending = false
                return false
            }
            if advancePending {
                dropNext = controlLaw(dropNext)
                advancePending = false
            }
            guard now >= dropNext else { return false }
            count &+= 1
            advancePending = true
            return true
        }
        guard okToDrop else { return false }
        // Enter the dropping state (§5.5): drop this packet; start from the previous
        // drop rate if the last dropping state ended recently.
        dropping = true
        let delta = count &- lastCount
        count = delta > 1 && now - dropNext < 16 * interval ? delta : 1
        lastCount = count
        dropNext = controlLaw(now)
        return true
    }

    /// `dodequeue`'s verdict (§5.4): the sojourn time has been above target for at least
    /// an interval, and more than one MTU is queued.
    private mutating func allowsDrop(now: Int64, sojourn: Int64, backlog: Int, mtu: Int) -> Bool {
        guard sojourn >= target, backlog > mtu else {
            firstAboveTime = 0
            return false
        }
        if firstAboveTime == 0 {
            firstAboveTime = now + interval
            return false
        }
        return now >= firstAboveTime
    }

    /// `t + interval / sqrt(count)` (§5.5).
    private func controlLaw(_ t: Int64) -> Int64 {
        t + Int64(Double(interval) / Double(max(count, 1)).squareRoot())
    }
}
