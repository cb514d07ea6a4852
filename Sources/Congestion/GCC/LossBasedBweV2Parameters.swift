import NetTypes

/// LossBasedBweV2's tunables with libwebrtc's defaults (loss_based_bwe_v2.cc
/// `CreateConfig`, field trial WebRTC-Bwe-LossBasedBweV2; the trial's key names in the
/// comments), settable as `controller-parameters` keys starting with `v2-`.
public struct LossBasedBweV2Parameters: Sendable, Equatable {
    /// Candidates around the current estimate (CandidateFactors {1.02, 1.0, 0.95}).
    public var candidateFactors = [1.02, 1.0, 0.95]
    /// An observation spans at least this much sending time (ObservationDurationLowerBound 250 ms).
    public var observationDuration = Duration.milliseconds(250)
    /// Observations kept (ObservationWindowSize 20).
    public var observationWindow = 20
    /// Weight of an observation n steps old: factor^n (TemporalWeightFactor 0.9).
    public var temporalWeightFactor = 0.9
    /// The same for the average loss of the instant upper bound
    /// (InstantUpperBoundTemporalWeightFactor 0.9).
    public var instantUpperBoundTemporalWeightFactor = 0.9
    /// Inherent loss before any observation (InitialInherentLossEstimate 0.01).
    public var initialInherentLoss = 0.01
    /// Inherent loss bounds: ≥ InherentLossLowerBound (1e-3), ≤ InherentLossUpperBoundOffset
    /// (0.05) + InherentLossUpperBoundBwBalance (75 kbps) / bandwidth.
    public var inherentLossLowerBound = 0.001
    public var inherentLossUpperBoundOffset = 0.05
    public var inherentLossUpperBoundBalanceBps = 75_000.0
    /// The estimate is at most InstantUpperBoundBwBalance (75 kbps) / (average loss −
    /// InstantUpperBoundLossOffset (0.05)) once the loss exceeds the offset.
    public var instantUpperBoundBalanceBps = 75_000.0
    public var instantUpperBoundLossOffset = 0.05
    /// Newton steps on the inherent loss per candidate (NewtonIterations 1, NewtonStepSize 0.75).
    public var newtonIterations = 1
    public var newtonStepSize = 0.75
    /// Bias of the objective towards higher bandwidths per packet: HigherBwBiasFactor
    /// (0.0002) × kbps + HigherLogBwBiasFactor (0.02) × ln(1 + kbps), scaled by how far the
    /// average loss is below LossThresholdOfHighBandwidthPreference (0.15), smoothed by
    /// BandwidthPreferenceSmoothingFactor (0.002).
    public var higherBandwidthBias = 0.0002
    public var higherLogBandwidthBias = 0.02
    public var highBandwidthPreferenceLoss = 0.15
    public var bandwidthPreferenceSmoothing = 0.002
    /// While loss-limited, the estimate grows by at most this factor per window
    /// (MaxIncreaseFactor 1.3, DelayedIncreaseWindow 300 ms).
    public var maxIncreaseFactor = 1.3
    public var delayedIncreaseWindow = Duration.milliseconds(300)
    /// Observations before the estimate is used (MinNumObservations 3).
    public var minObservations = 3

    public init() {}

    /// The `controller-parameters` keys.
    public static let keys = ["v2-observation-duration", "v2-observation-window", "v2-temporal-weight-factor",
                              "v2-instant-upper-bound-temporal-weight-factor", "v2-initial-inherent-loss",
                              "v2-inherent-loss-lower-bound", "v2-inherent-loss-upper-bound-offset",
                              "v2-inherent-loss-upper-bound-balance", "v2-instant-upper-bound-balance",
                              "v2-instant-upper-bound-loss-offset", "v2-newton-iterations", "v2-newton-step-size",
                              "v2-higher-bandwidth-bias", "v2-higher-log-bandwidth-bias", "v2-high-bandwidth-preference-loss",
                              "v2-bandwidth-preference-smoothing", "v2-max-increase-factor", "v2-delayed-increase-window",
                              "v2-min-observations"]

    /// Sets `key` from `text`, checked against the ranges loss_based_bwe_v2.cc's
    /// `IsConfigValid` accepts.
    mutating func set(_ key: String, _ text: String) throws(ControllerParameterError) {
        typealias P = ControllerParameters
        switch key {
        case "v2-observation-duration": observationDuration = .fromSeconds(try P.seconds(key, text, in: 0.001...60))
        case "v2-observation-window": observationWindow = Int(try P.number(key, text, in: 2...1000, integer: true))
        case "v2-temporal-weight-factor": temporalWeightFactor = try P.number(key, text, in: 0.000_001...1)
        case "v2-instant-upper-bound-temporal-weight-factor": instantUpperBoundTemporalWeightFactor = try P.number(key, text, in: 0.000_001...1)
        case "v2-initial-inherent-loss": initialInherentLoss = try P.number(key, text, in: 0...0.999)
        case "v2-inherent-loss-lower-bound": inherentLossLowerBound = try P.number(key, text, in: 0...0.999)
        case "v2-inherent-loss-upper-bound-offset": inherentLossUpperBoundOffset = try P.number(key, text, in: 0...0.999)
        case "v2-inherent-loss-upper-bound-balance": inherentLossUpperBoundBalanceBps = try P.rate(key, text, in: 1...1e9)
        case "v2-instant-upper-bound-balance": instantUpperBoundBalanceBps = try P.rate(key, text, in: 1...1e9)
        case "v2-instant-upper-bound-loss-offset": instantUpperBoundLossOffset = try P.number(key, text, in: 0...0.999)
        case "v2-newton-iterations": newtonIterations = Int(try P.number(key, text, in: 1...100, integer: true))
        case "v2-newton-step-size": newtonStepSize = try P.number(key, text, in: 0.000_001...10)
        case "v2-higher-bandwidth-bias": higherBandwidthBias = try P.number(key, text, in: 0...1)
        case "v2-higher-log-bandwidth-bias": higherLogBandwidthBias = try P.number(key, text, in: 0...10)
        case "v2-high-bandwidth-preference-loss": highBandwidthPreferenceLoss = try P.number(key, text, in: 0...0.999)
        case "v2-bandwidth-preference-smoothing": bandwidthPreferenceSmoothing = try P.number(key, text, in: 0.000_001...1)
        case "v2-max-increase-factor": maxIncreaseFactor = try P.number(key, text, in: 1...100)
        case "v2-delayed-increase-window": delayedIncreaseWindow = .fromSeconds(try P.seconds(key, text, in: 0...60))
        case "v2-min-observations": minObservations = Int(try P.number(key, text, in: 1...1000, integer: true))
        default: throw ControllerParameterError(key: key, "unknown gcc parameter '\(key)' (known: \(GoogCCParameters.keys.joined(separator: ", ")))")
        }
    }
}
