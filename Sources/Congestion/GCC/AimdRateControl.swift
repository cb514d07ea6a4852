import NetTypes

/// The delay-based rate controller of GCC (draft-ietf-rmcat-gcc-02 §5.5; libwebrtc
/// aimd_rate_control.cc): a hold/increase/decrease state machine driven by the overuse
/// detector. Increases are multiplicative (8 %/s) far from the link capacity and
/// additive (about one packet per response time) near it; a decrease sets the rate to
/// 0.85 × the acknowledged rate. The shape's constants are `AimdRateControlParameters`.
struct AimdRateControl: Sendable {
    private enum State { case hold, increase, decrease }

    private(set) var currentBps: Double
    private var minBps: Double
    private var maxBps: Double
    /// Decrease factor β (draft §5.5: 0.85; libwebrtc kDefaultBackoffFactor 0.85; `GoogCCParameters`).
    private let backoffFactor: Double
    /// The increase and decrease shape (`GoogCCParameters.aimd`).
    private let parameters: AimdRateControlParameters
    /// ln of the increase factor, for `growth`.
    private let logIncreaseFactor: Double
    private var state = State.hold
    private var linkCapacity = LinkCapacityEstimator()
    private var latestAckedBps: Double?
    private var timeLastChange: Instant?
    var rtt: Duration

    init(startBps: Double, minBps: Double, maxBps: Double, backoffFactor: Double = 0.85,
         parameters: AimdRateControlParameters = AimdRateControlParameters()) {
        currentBps = startBps
        self.backoffFactor = backoffFactor
        self.parameters = parameters
        logIncreaseFactor = CongestionMath.logarithm(parameters.increaseFactor)
        rtt = parameters.defaultRtt
        self.minBps = minBps
        self.maxBps = maxBps
    }

    /// Whether a new overuse justifies another decrease (libwebrtc TimeToReduceFurther).
    func timeToReduceFurther(now: Instant, ackedBps: Double) -> Bool {
        let interval = min(max(rtt, parameters.minReductionInterval), parameters.maxReductionInterval)
        if let last = timeLastChange, now - last >= interval { return true }
        return ackedBps < parameters.reduceFurtherRatio * currentBps
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
            let limit = parameters.ackedLimitFactor * throughput + parameters.ackedLimitOffsetBps
            if currentBps < limit {
                let elapsed = timeLastChange.map { now - $0 } ?? .zero
                let step = linkCapacity.estimateKbps != nil
                    ? additiveIncrease(elapsed: elapsed) : multiplicativeIncrease(elapsed: elapsed)
                newBps = min(currentBps + step, limit)
            }
            timeLastChange = now
        case .decrease:
            var decreased = throughput * backoffFactor
            if decreased > parameters.decreaseMarginBps { decreased -= parameters.decreaseMarginBps }
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
        let alpha = Self.growth(min(elapsed.seconds, 1), logFactor: logIncreaseFactor)
        return max(currentBps * (alpha - 1), parameters.minMultiplicativeStepBps)
    }

    /// About one average packet per response time (libwebrtc GetNearMaxIncreaseRateBpsPerSecond).
    private func additiveIncrease(elapsed: Duration) -> Double {
        let frameBits = currentBps * (1.0 / parameters.referenceFrameRate)
        let packetsPerFrame = (frameBits / (Double(parameters.referencePacketSize) * 8)).rounded(.up)
        let packetBits = frameBits / max(packetsPerFrame, 1)
        let responseTime = (rtt + parameters.responseTimeOffset).seconds
        return max(packetBits / responseTime, parameters.minNearMaxIncreaseBpsPerSecond) * elapsed.seconds
    }

    /// factor^t for t in [0, 1] as exp(t ln factor) by its Taylor series to the 8th power
    /// (relative error < 1e-15 for factor 1.08, < 3e-7 up to factor 2, the parameter's
    /// bound): the core stays free of Foundation's math.
    static func growth(_ t: Double, logFactor: Double) -> Double {
        let x = t * logFactor
        var term = 1.0, sum = 1.0
        for n in 1...8 {
            term *= x / Double(n)
            sum += term
        }
        return sum
    }

    private func clamp(_ bps: Double) -> Double { min(max(bps, minBps), maxBps) }
}
