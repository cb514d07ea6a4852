import NetTypes

/// The delay-based rate controller of GCC (draft-ietf-rmcat-gcc-02 §5.5; libwebrtc
/// aimd_rate_control.cc): a hold/increase/decrease state machine driven by the overuse
/// detector. Increases are multiplicative (8 %/s) far from the link capacity and
/// additive (about one packet per response time) near it; a decrease sets the rate to
/// 0.85 × the acknowledged rate.
struct AimdRateControl: Sendable {
    /// Multiplicative increase per second (draft §5.5 "eta = 1.08"; libwebrtc MultiplicativeRateIncrease alpha 1.08).
    static let multiplicativeIncrease = 1.08
    /// Smallest multiplicative step, bps (libwebrtc MultiplicativeRateIncrease: 1000 bps).
    static let minMultiplicativeStepBps = 1000.0
    /// Smallest additive increase rate, bps/s (libwebrtc GetNearMaxIncreaseRateBpsPerSecond: 4000).
    static let minNearMaxIncreaseBpsPerSecond = 4000.0
    /// Frame interval of the reference encoder for the additive step (libwebrtc: 30 fps).
    static let frameInterval = 1.0 / 30
    /// Packet size of the reference encoder for the additive step (libwebrtc: 1200 bytes).
    static let packetSizeBits = 1200.0 * 8
    /// Added to the RTT to get the response time (libwebrtc GetNearMaxIncreaseRateBpsPerSecond: 100 ms).
    static let responseTimeOffset = Duration.milliseconds(100)
    /// RTT assumed before the first measurement (libwebrtc kDefaultRtt: 200 ms).
    static let defaultRtt = Duration.milliseconds(200)
    /// Increase limit: 1.5 × acknowledged rate + 10 kbps (libwebrtc ChangeBitrate; draft §5.5 "1.5 * R_hat").
    static let ackedLimitFactor = 1.5
    static let ackedLimitOffsetBps = 10_000.0
    /// Subtracted from a decrease (libwebrtc ChangeBitrate: 5 kbps).
    static let decreaseMarginBps = 5_000.0
    /// Bounds of the reduce-further interval (libwebrtc TimeToReduceFurther: rtt clamped to [10 ms, 200 ms]).
    static let reductionIntervalRange = Duration.milliseconds(10)...Duration.milliseconds(200)

    private enum State { case hold, increase, decrease }

    private(set) var currentBps: Double
    private var minBps: Double
    private var maxBps: Double
    /// Decrease factor β (draft §5.5: 0.85; libwebrtc kDefaultBackoffFactor 0.85; `GoogCCParameters`).
    private let backoffFactor: Double
    private var state = State.hold
    private var linkCapacity = LinkCapacityEstimator()
    private var latestAckedBps: Double?
    private var timeLastChange: Instant?
    var rtt = defaultRtt

    init(startBps: Double, minBps: Double, maxBps: Double, backoffFactor: Double = 0.85) {
        currentBps = startBps
        self.backoffFactor = backoffFactor
        self.minBps = minBps
        self.maxBps = maxBps
    }

    /// Whether a new overuse justifies another decrease (libwebrtc TimeToReduceFurther).
    func timeToReduceFurther(now: Instant, ackedBps: Double) -> Bool {
        let interval = min(max(rtt, Self.reductionIntervalRange.lowerBound), Self.reductionIntervalRange.upperBound)
        if let last = timeLastChange, now - last >= interval { return true }
        return ackedBps < 0.5 * currentBps
    }

    /// New bounds (a mid-call rate constraint); the estimate is clamped into them.
    mutating func setBounds(minBps: Double, maxBps: Double) {
        self.minBps = minBps
        self.maxBps = maxBps
        currentBps = clamp(currentBps)
    }

    /// Sets the estimate directly (a probe result).
    mutating func setEstimate(bps: Double, now: Instant) {
        currentBps = clamp(bps)
        timeLastChange = now
    }

    /// Applies the detector's verdict with the acknowledged rate.
    mutating func update(usage: BandwidthUsage, ackedBps: Double?, now: Instant) {
        if let ackedBps { latestAckedBps = ackedBps }
        let throughput = ackedBps ?? latestAckedBps ?? currentBps
        switch usage {
        case .normal:
            if state == .hold { timeLastChange = now; state = .increase }
        case .overusing: state = .decrease
        case .underusing: state = .hold
        }
        var newBps = currentBps
        switch state {
        case .hold: break
        case .increase:
            if throughput > linkCapacity.upperBoundBps { linkCapacity.reset() }
            let limit = Self.ackedLimitFactor * throughput + Self.ackedLimitOffsetBps
            if currentBps < limit {
                let elapsed = timeLastChange.map { now - $0 } ?? .zero
                let step = linkCapacity.estimateKbps != nil
                    ? additiveIncrease(elapsed: elapsed) : multiplicativeIncrease(elapsed: elapsed)
                newBps = min(currentBps + step, limit)
            }
            timeLastChange = now
        case .decrease:
            var decreased = throughput * backoffFactor
            if decreased > Self.decreaseMarginBps { decreased -= Self.decreaseMarginBps }
            if decreased > currentBps, let capacity = linkCapacity.estimateKbps { decreased = backoffFactor * capacity * 1000 }
            if decreased < currentBps { newBps = decreased }
            if throughput < linkCapacity.lowerBoundBps { linkCapacity.reset() }
            linkCapacity.onOveruseDetected(ackedBps: throughput)
            state = .hold
            timeLastChange = now
        }
        currentBps = clamp(newBps)
    }

    private func multiplicativeIncrease(elapsed: Duration) -> Double {
        let alpha = Self.growth(min(elapsed.seconds, 1))
        return max(currentBps * (alpha - 1), Self.minMultiplicativeStepBps)
    }

    /// About one average packet per response time (libwebrtc GetNearMaxIncreaseRateBpsPerSecond).
    private func additiveIncrease(elapsed: Duration) -> Double {
        let frameBits = currentBps * Self.frameInterval
        let packetsPerFrame = (frameBits / Self.packetSizeBits).rounded(.up)
        let packetBits = frameBits / max(packetsPerFrame, 1)
        let responseTime = (rtt + Self.responseTimeOffset).seconds
        return max(packetBits / responseTime, Self.minNearMaxIncreaseBpsPerSecond) * elapsed.seconds
    }

    /// 1.08^t for t in [0, 1] as exp(t ln 1.08) by its Taylor series (error < 1e-9): the
    /// core stays free of Foundation's math.
    static func growth(_ t: Double) -> Double {
        let x = t * 0.076_961_041_136_128_4   // ln(1.08)
        var term = 1.0, sum = 1.0
        for n in 1...8 {
            term *= x / Double(n)
            sum += term
        }
        return sum
    }

    private func clamp(_ bps: Double) -> Double { min(max(bps, minBps), maxBps) }
}
