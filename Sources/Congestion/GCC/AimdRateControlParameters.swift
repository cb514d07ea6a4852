import NetTypes

/// The shape of GCC's delay-based rate control (libwebrtc aimd_rate_control.cc, whose
/// literals these are; draft-ietf-rmcat-gcc-02 §5.5), settable as `controller-parameters`
/// keys starting with `aimd-`. The decrease factor β is `GoogCCParameters.backoffFactor`.
public struct AimdRateControlParameters: Sendable, Equatable {
    /// Multiplicative increase per second far from the link capacity (draft §5.5 η = 1.08;
    /// `MultiplicativeRateIncrease` alpha 1.08), applied as factor^t for t ≤ 1 s.
    public var increaseFactor = 1.08
    /// Smallest multiplicative step (`MultiplicativeRateIncrease`: 1000 bps).
    public var minMultiplicativeStepBps = 1_000.0
    /// Smallest additive increase near the capacity, per second
    /// (`GetNearMaxIncreaseRateBpsPerSecond` kMinIncreaseRateBpsPerSecond 4000).
    public var minNearMaxIncreaseBpsPerSecond = 4_000.0
    /// Frame rate and packet size of the reference encoder whose average packet the
    /// additive step adds per response time (`GetNearMaxIncreaseRateBpsPerSecond`
    /// kFrameInterval 1/30 s, kPacketSize 1200 bytes).
    public var referenceFrameRate = 30.0
    public var referencePacketSize = 1200
    /// Added to the RTT to get the response time (`GetNearMaxIncreaseRateBpsPerSecond`:
    /// the over-use estimator's delay approximated as 100 ms).
    public var responseTimeOffset = Duration.milliseconds(100)
    /// RTT assumed until the first measurement (kDefaultRtt 200 ms).
    public var defaultRtt = Duration.milliseconds(200)
    /// Increases stop at ackedLimitFactor × the acknowledged rate + ackedLimitOffset
    /// (`ChangeBitrate`: 1.5 × estimated throughput + 10 kbps; draft §5.5 "1.5 * R_hat").
    public var ackedLimitFactor = 1.5
    public var ackedLimitOffsetBps = 10_000.0
    /// Subtracted from a decrease when the decreased rate exceeds it (`ChangeBitrate`,
    /// `subtract_additional_backoff_term`: 5 kbps).
    public var decreaseMarginBps = 5_000.0
    /// Another decrease needs the RTT clamped to these bounds since the last change
    /// (`TimeToReduceFurther`: 10 ms, 200 ms) ...
    public var minReductionInterval = Duration.milliseconds(10)
    public var maxReductionInterval = Duration.milliseconds(200)
    /// ... or an acknowledged rate below this × the estimate (`TimeToReduceFurther`: 0.5).
    public var reduceFurtherRatio = 0.5

    public init() {}

    /// The `controller-parameters` keys.
    public static let keys = ["aimd-increase-factor", "aimd-min-multiplicative-step", "aimd-min-near-max-increase",
                              "aimd-reference-frame-rate", "aimd-reference-packet-size", "aimd-response-time-offset",
                              "aimd-default-rtt", "aimd-acked-limit-factor", "aimd-acked-limit-offset", "aimd-decrease-margin",
                              "aimd-min-reduction-interval", "aimd-max-reduction-interval", "aimd-reduce-further-ratio"]

    /// Sets `key` (one of `keys`) from `text`, checked against its range. The increase
    /// factor stays within 1...2, where the growth's series is accurate (`AimdRateControl.growth`).
    mutating func set(_ key: String, _ text: String) throws(ControllerParameterError) {
        typealias P = ControllerParameters
        switch key {
        case "aimd-increase-factor": increaseFactor = try P.number(key, text, in: 1...2)
        case "aimd-min-multiplicative-step": minMultiplicativeStepBps = try P.rate(key, text, in: 0...1e8)
        case "aimd-min-near-max-increase": minNearMaxIncreaseBpsPerSecond = try P.rate(key, text, in: 0...1e8)
        case "aimd-reference-frame-rate": referenceFrameRate = try P.number(key, text, in: 1...240)
        case "aimd-reference-packet-size": referencePacketSize = Int(try P.number(key, text, in: 100...65_535, integer: true))
        case "aimd-response-time-offset": responseTimeOffset = .fromSeconds(try P.seconds(key, text, in: 0...10))
        case "aimd-default-rtt": defaultRtt = .fromSeconds(try P.seconds(key, text, in: 0.001...10))
        case "aimd-acked-limit-factor": ackedLimitFactor = try P.number(key, text, in: 1...100)
        case "aimd-acked-limit-offset": ackedLimitOffsetBps = try P.rate(key, text, in: 0...1e9)
        case "aimd-decrease-margin": decreaseMarginBps = try P.rate(key, text, in: 0...1e9)
        case "aimd-min-reduction-interval": minReductionInterval = .fromSeconds(try P.seconds(key, text, in: 0...10))
        case "aimd-max-reduction-interval": maxReductionInterval = .fromSeconds(try P.seconds(key, text, in: 0...10))
        case "aimd-reduce-further-ratio": reduceFurtherRatio = try P.number(key, text, in: 0...1)
        default: throw ControllerParameterError(key: key, "unknown aimd parameter '\(key)'")
        }
    }

    /// The parameters as a whole: the reduction interval's bounds in order.
    func validate() throws(ControllerParameterError) {
        guard minReductionInterval <= maxReductionInterval else {
            throw ControllerParameterError(key: "aimd-min-reduction-interval",
                                           "aimd-min-reduction-interval \(minReductionInterval.seconds)s exceeds aimd-max-reduction-interval \(maxReductionInterval.seconds)s")
        }
    }
}
