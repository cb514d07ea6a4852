import NetTypes

/// The state of PIE (RFC 8033) on one link direction: a drop probability recomputed
/// every `updateInterval` from the queueing delay and its trend, applied to arriving
/// packets.
///
/// PIE drops at enqueue, which is where the link decides anyway. The queueing delay it
/// controls is known exactly here (the serializer's backlog in time, `busyUntil − t`), so
/// no departure-rate estimate (§4.3) is needed, and the periodic update (§4.2) runs
/// lazily: when a packet arrives, every update instant since the last one is computed in
/// order, each with the backlog at that instant.
struct PIEState {
    let target: Int64
    let updateInterval: Int64
    let maximumBurst: Int64
    /// α and β in 1/s (§4.2: 0.125 Hz and 1.25 Hz by default).
    let alpha: Double
    let beta: Double
    /// Mark ECN-capable packets instead of dropping them up to a 10 % drop probability
    /// (RFC 8033 §5.1).
    let marking: Bool
    private(set) var dropProbability = 0.0
    private var previousDelay: Int64 = 0
    private var burstAllowance: Int64
    private var nextUpdate: Int64 = 0
    /// §5.1 derandomization: the accumulated probability since the last drop.
    private var accumulated = 0.0

    init(_ parameters: PIEParameters) {
        target = parameters.target.nanoseconds
        updateInterval = parameters.updateInterval.nanoseconds
        maximumBurst = parameters.maximumBurst.nanoseconds
        alpha = parameters.alpha
        beta = parameters.beta
        marking = parameters.ecn
        burstAllowance = maximumBurst
    }

    /// What happens to a packet of codepoint `ecn` arriving at `now` (arguments as for
    /// `drops`): with marking on, an ECN-capable packet is marked while the drop
    /// probability is at most 10 % and dropped above (RFC 8033 §5.1: past that a flow
    /// that ignores marks would take over the queue).
    mutating func verdict(now: Int64, delay: (Int64) -> Int64, backlog: Int, mtu: Int, ecn: ECNCodepoint,
                          random: () -> Double) -> AQMVerdict {
        guard drops(now: now, delay: delay, backlog: backlog, mtu: mtu, random: random) else { return .pass }
        return .signal(marking: marking && dropProbability <= 0.1, ecn)
    }

    /// Whether a packet arriving at `now` is dropped. `delay(at:)` gives the queueing
    /// delay at an instant up to now (the backlog ahead of a packet arriving then),
    /// `backlog` the bytes queued now, `random` a uniform draw in [0, 1).
    mutating func drops(now: Int64, delay: (Int64) -> Int64, backlog: Int, mtu: Int, random: () -> Double) -> Bool {
        while nextUpdate <= now {
            let current = delay(nextUpdate)
            if current == 0 && isAtRest {
                // An idle queue leaves a controller at rest unchanged: skip to now.
                nextUpdate += ((now - nextUpdate) / updateInterval + 1) * updateInterval
                break
            }
            update(delay: current)
            nextUpdate += updateInterval
        }
        // §4.1: no early drop within the burst allowance, when the delay is low and the
        // probability small, or with fewer than two packets queued.
        if burstAllowance > 0 { return false }
        if previousDelay < target / 2 && dropProbability < 0.2 { return false }
        if backlog <= 2 * mtu { return false }
        // §5.1: derandomized drop (no drop below an accumulated 0.85, always at 8.5).
        if dropProbability == 0 { accumulated = 0 }
        accumulated += dropProbability
        if accumulated < 0.85 { return false }
        if accumulated >= 8.5 || random() < dropProbability {
            accumulated = 0
            return true
        }
        return false
    }

    /// Whether an update with an empty queue would change nothing: no delay last time,
    /// no drop probability, the full burst allowance.
    private var isAtRest: Bool { previousDelay == 0 && dropProbability == 0 && burstAllowance == maximumBurst }

    /// One periodic update (§4.2, §4.4) with the queueing delay `current` (nanoseconds).
    private mutating func update(delay current: Int64) {
        let seconds = 1e-9
        var p = alpha * Double(current - target) * seconds + beta * Double(current - previousDelay) * seconds
        // §4.2: auto-tuning, smaller steps while the probability is small.
        switch dropProbability {
        case ..<0.000_001: p /= 2048
        case ..<0.000_01: p /= 512
        case ..<0.000_1: p /= 128
        case ..<0.001: p /= 32
        case ..<0.01: p /= 8
        case ..<0.1: p /= 2
        default: break
        }
        // §5.3: cap the step once the probability is high.
        if dropProbability >= 0.1 && p > 0.02 { p = 0.02 }
        dropProbability += p
        // §4.2: decay when the queue stays empty.
        if current == 0 && previousDelay == 0 { dropProbability *= 0.98 }
        dropProbability = min(max(dropProbability, 0), 1)
        // §4.4: the burst allowance runs down, and is restored once the queue is calm.
        burstAllowance = max(0, burstAllowance - updateInterval)
        if dropProbability == 0 && current < target / 2 && previousDelay < target / 2 { burstAllowance = maximumBurst }
        previousDelay = current
    }
}
