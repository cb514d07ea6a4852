import NetTypes

/// GCC's tunables with libwebrtc's defaults, each settable as a `controller-parameters`
/// key (`GoogCCParameters.keys`). The rates (start, min, max) are the flow's.
public struct GoogCCParameters: Sendable, Equatable {
    /// Which loss-based controller runs.
    public enum LossController: String, Sendable, CaseIterable {
        /// draft-ietf-rmcat-gcc-02 §6 / libwebrtc's classic SendSideBandwidthEstimation rule.
        case classic
        /// A LossBasedBweV2-style maximum-likelihood estimator (loss_based_bwe_v2.cc).
        case v2
    }

    /// Pacing rate over target (goog_cc_network_control.cc kDefaultPaceMultiplier: 2.5).
    public var pacingFactor = 2.5
    /// Start-up probes (probe_controller.cc first/second_exponential_probe_scale: 3, 6).
    public var firstProbeScale = 3.0
    public var secondProbeScale = 6.0
    /// Further probes at this × the estimate (further_exponential_probe_scale: 2) while
    /// results exceed `furtherProbeThreshold` × the last probe (further_probe_threshold: 0.7).
    public var furtherProbeScale = 2.0
    public var furtherProbeThreshold = 0.7
    /// A cluster lasts at least this many packets and this much time at its rate
    /// (probe_controller.cc ProbeControllerConfig min_probe_packets_sent 5,
    /// min_probe_duration 15 ms; field trial WebRTC-Bwe-ProbingConfiguration).
    public var minProbePackets = 5
    public var minProbeDuration = Duration.milliseconds(15)
    /// Each padding packet of a cluster carries this much of the cluster's rate
    /// (bitrate_prober.cc BitrateProberConfig min_probe_delta 2 ms; field trial
    /// WebRTC-Bwe-ProbingBehavior).
    public var minProbeDelta = Duration.milliseconds(2)
    /// Probing waits this long for a result that calls for a further probe, then ends
    /// (probe_controller.cc kMaxWaitingTimeForProbingResult 1 s).
    public var probeResultTimeout = Duration.seconds(1)
    /// ALR budget rate over the target, start and stop fill levels (alr_detector.h
    /// AlrDetectorConfig bandwidth_usage_ratio 0.65, start_budget_level_ratio 0.80,
    /// stop_budget_level_ratio 0.50).
    public var alrBandwidthUsageRatio = 0.65
    public var alrStartBudgetRatio = 0.80
    public var alrStopBudgetRatio = 0.50
    /// Periodic probing in ALR (probe_controller.cc `enable_periodic_alr_probing_`: off
    /// unless the application asks, as for screen sharing), every `alrProbingInterval`
    /// (alr_interval: 5 s) at `alrProbeScale` × the estimate (alr_scale: 2).
    public var alrProbing = false
    public var alrProbingInterval = Duration.seconds(5)
    public var alrProbeScale = 2.0
    /// Probing after a large drop (probe_controller.cc `RequestProbe`; always compiled
    /// in libwebrtc, icelab lets it be switched off).
    public var dropProbing = true
    /// Drop probing outside ALR too (field trial WebRTC-BweRapidRecoveryExperiment: off).
    public var rapidRecovery = false
    /// A target below this × the previous one is a large drop (kBitrateDropThreshold 0.66).
    public var bitrateDropThreshold = 0.66
    /// The recovery probe's rate over the pre-drop target (kProbeFractionAfterDrop 0.85).
    public var probeFractionAfterDrop = 0.85
    /// No probe when the estimate is within this of the probe (kProbeUncertainty 0.05).
    public var probeUncertainty = 0.05
    /// A drop is probed only this long after it (kBitrateDropTimeoutMs 5 s).
    public var bitrateDropTimeout = Duration.seconds(5)
    /// Least spacing of drop probes (kMinTimeBetweenAlrProbesMs 5 s).
    public var minTimeBetweenDropProbes = Duration.seconds(5)
    /// Drop probes are allowed this long after ALR ended (kAlrEndedTimeoutMs 3 s).
    public var alrEndedTimeout = Duration.seconds(3)
    /// Time constant of the stable link-capacity estimate (field trial
    /// WebRTC-Bwe-LinkCapacity `rate`: 10 s).
    public var linkCapacityTrackingRate = Duration.seconds(10)
    /// Trendline window and smoothing (trendline_estimator.cc kDefaultTrendlineWindowSize
    /// 20, kDefaultTrendlineSmoothingCoeff 0.9), trend gain (kDefaultTrendlineThresholdGain
    /// 4), threshold adaptation (k_up_ 0.0087, k_down_ 0.039), initial threshold (12.5 ms)
    /// and how long overuse must last (kOverUsingTimeThreshold 10 ms).
    public var trendlineWindowSize = 20
    public var trendlineSmoothing = 0.9
    public var trendlineThresholdGain = 4.0
    public var thresholdKUp = 0.0087
    public var thresholdKDown = 0.039
    public var initialThreshold = Duration.microseconds(12_500)
    public var overusingTimeThreshold = Duration.milliseconds(10)
    /// Delay-based decrease factor β (aimd_rate_control.cc kDefaultBackoffFactor 0.85).
    public var backoffFactor = 0.85
    /// The rest of the delay-based rate control's shape (`aimd-` keys).
    public var aimd = AimdRateControlParameters()
    /// The acknowledged-rate estimator (`acked-` keys).
    public var acknowledgedRate = AcknowledgedBitrateParameters()
    /// The grouping of packets before the delay trend (inter-arrival keys).
    public var interArrival = InterArrivalParameters()
    /// Classic loss-based increase per second over the minimum of the last second
    /// (send_side_bandwidth_estimation.cc `UpdateEstimate`: 1.08) and least spacing of
    /// decreases, plus one RTT (kBweDecreaseInterval 300 ms).
    public var lossIncreaseFactor = 1.08
    public var lossDecreaseInterval = Duration.milliseconds(300)
    /// Classic loss-based thresholds (send_side_bandwidth_estimation.cc
    /// kDefaultLowLossThreshold 0.02, kDefaultHighLossThreshold 0.1).
    public var lowLossThreshold = 0.02
    public var highLossThreshold = 0.10
    /// The loss-based controller (`loss-controller`, icelab default classic).
    public var lossController = LossController.classic
    /// LossBasedBweV2's tunables (`v2-` keys).
    public var lossV2 = LossBasedBweV2Parameters()

    public init() {}

    /// The keys of `controller-parameters` for GCC.
    public static let keys = ["pacing-factor", "first-probe-scale", "second-probe-scale", "further-probe-scale",
                              "further-probe-threshold", "min-probe-packets", "min-probe-duration", "min-probe-delta", "probe-result-timeout",
                              "alr-bandwidth-usage-ratio", "alr-start-budget-ratio",
                              "alr-stop-budget-ratio", "alr-probing", "alr-probing-interval", "alr-probe-scale", "drop-probing",
                              "rapid-recovery", "bitrate-drop-threshold", "probe-fraction-after-drop", "probe-uncertainty",
                              "bitrate-drop-timeout", "min-time-between-drop-probes", "alr-ended-timeout",
                              "link-capacity-tracking-rate", "trendline-window-size", "trendline-smoothing",
                              "trendline-threshold-gain", "threshold-k-up", "threshold-k-down", "initial-threshold",
                              "overusing-time-threshold", "backoff-factor", "low-loss-threshold", "high-loss-threshold",
                              "loss-increase-factor", "loss-decrease-interval", "loss-controller"]
        + AimdRateControlParameters.keys + AcknowledgedBitrateParameters.keys + InterArrivalParameters.keys + LossBasedBweV2Parameters.keys

    /// Parameters from `controller-parameters`, each checked against its range.
    public init(_ parameters: ControllerParameters) throws(ControllerParameterError) {
        typealias P = ControllerParameters
        for entry in parameters.entries {
            let key = entry.key, text = entry.value
            switch key {
            case "pacing-factor": pacingFactor = try P.number(key, text, in: 0.1...100)
            case "first-probe-scale": firstProbeScale = try P.number(key, text, in: 0.1...100)
            case "second-probe-scale": secondProbeScale = try P.number(key, text, in: 0...100)
            case "further-probe-scale": furtherProbeScale = try P.number(key, text, in: 0.1...100)
            case "further-probe-threshold": furtherProbeThreshold = try P.number(key, text, in: 0...10)
            case "min-probe-packets": minProbePackets = Int(try P.number(key, text, in: 1...1000, integer: true))
            case "min-probe-duration": minProbeDuration = .fromSeconds(try P.seconds(key, text, in: 0.001...1))
            case "min-probe-delta": minProbeDelta = .fromSeconds(try P.seconds(key, text, in: 0.0001...0.1))
            case "probe-result-timeout": probeResultTimeout = .fromSeconds(try P.seconds(key, text, in: 0.001...60))
            case "alr-bandwidth-usage-ratio": alrBandwidthUsageRatio = try P.number(key, text, in: 0.01...10)
            case "alr-start-budget-ratio": alrStartBudgetRatio = try P.number(key, text, in: -1...1)
            case "alr-stop-budget-ratio": alrStopBudgetRatio = try P.number(key, text, in: -1...1)
            case "alr-probing": alrProbing = try P.flag(key, text)
            case "alr-probing-interval": alrProbingInterval = .fromSeconds(try P.seconds(key, text, in: 0.1...3600))
            case "alr-probe-scale": alrProbeScale = try P.number(key, text, in: 0.1...100)
            case "drop-probing": dropProbing = try P.flag(key, text)
            case "rapid-recovery": rapidRecovery = try P.flag(key, text)
            case "bitrate-drop-threshold": bitrateDropThreshold = try P.number(key, text, in: 0...1)
            case "probe-fraction-after-drop": probeFractionAfterDrop = try P.number(key, text, in: 0.01...10)
            case "probe-uncertainty": probeUncertainty = try P.number(key, text, in: 0...1)
            case "bitrate-drop-timeout": bitrateDropTimeout = .fromSeconds(try P.seconds(key, text, in: 0...3600))
            case "min-time-between-drop-probes": minTimeBetweenDropProbes = .fromSeconds(try P.seconds(key, text, in: 0...3600))
            case "alr-ended-timeout": alrEndedTimeout = .fromSeconds(try P.seconds(key, text, in: 0...3600))
            case "link-capacity-tracking-rate": linkCapacityTrackingRate = .fromSeconds(try P.seconds(key, text, in: 0.001...3600))
            case "trendline-window-size": trendlineWindowSize = Int(try P.number(key, text, in: 2...1000, integer: true))
            case "trendline-smoothing": trendlineSmoothing = try P.number(key, text, in: 0...0.999)
            case "trendline-threshold-gain": trendlineThresholdGain = try P.number(key, text, in: 0.01...1000)
            case "threshold-k-up": thresholdKUp = try P.number(key, text, in: 0...1)
            case "threshold-k-down": thresholdKDown = try P.number(key, text, in: 0...1)
            case "initial-threshold": initialThreshold = .fromSeconds(try P.seconds(key, text, in: 0.006...0.6))
            case "overusing-time-threshold": overusingTimeThreshold = .fromSeconds(try P.seconds(key, text, in: 0...10))
            case "backoff-factor": backoffFactor = try P.number(key, text, in: 0.01...1)
            case "loss-increase-factor": lossIncreaseFactor = try P.number(key, text, in: 1...10)
            case "loss-decrease-interval": lossDecreaseInterval = .fromSeconds(try P.seconds(key, text, in: 0...60))
            case "low-loss-threshold": lowLossThreshold = try P.number(key, text, in: 0...1)
            case "high-loss-threshold": highLossThreshold = try P.number(key, text, in: 0...1)
            case "loss-controller":
                guard let kind = LossController(rawValue: text) else {
                    throw ControllerParameterError(key: key, "loss-controller: '\(text)' is not classic or v2")
                }
                lossController = kind
            case _ where AimdRateControlParameters.keys.contains(key): try aimd.set(key, text)
            case _ where AcknowledgedBitrateParameters.keys.contains(key): try acknowledgedRate.set(key, text)
            case _ where InterArrivalParameters.keys.contains(key): try interArrival.set(key, text)
            default: try lossV2.set(key, text)
            }
        }
        try aimd.validate()
        guard lowLossThreshold <= highLossThreshold else {
            throw ControllerParameterError(key: "low-loss-threshold", "low-loss-threshold \(lowLossThreshold) exceeds high-loss-threshold \(highLossThreshold)")
        }
        guard lossV2.inherentLossLowerBound <= lossV2.inherentLossUpperBoundOffset else {
            throw ControllerParameterError(key: "v2-inherent-loss-lower-bound",
                                           "v2-inherent-loss-lower-bound \(lossV2.inherentLossLowerBound) exceeds v2-inherent-loss-upper-bound-offset \(lossV2.inherentLossUpperBoundOffset)")
        }
        guard alrStopBudgetRatio <= alrStartBudgetRatio else {
            throw ControllerParameterError(key: "alr-stop-budget-ratio", "alr-stop-budget-ratio \(alrStopBudgetRatio) exceeds alr-start-budget-ratio \(alrStartBudgetRatio)")
        }
    }

    /// The delay trend estimator with these tunables.
    func trendlineEstimator() -> TrendlineEstimator {
        TrendlineEstimator(windowSize: trendlineWindowSize, smoothing: trendlineSmoothing)
    }

    /// The delay-based rate control with these tunables.
    func aimdRateControl(startBps: Double, minBps: Double, maxBps: Double) -> AimdRateControl {
        AimdRateControl(startBps: startBps, minBps: minBps, maxBps: maxBps, backoffFactor: backoffFactor, parameters: aimd)
    }

    /// The overuse detector with these tunables.
    func overuseDetector() -> OveruseDetector {
        OveruseDetector(thresholdGain: trendlineThresholdGain, kUp: thresholdKUp, kDown: thresholdKDown,
                        initialThresholdMs: initialThreshold.milliseconds, overusingTimeThresholdMs: overusingTimeThreshold.milliseconds)
    }
}
