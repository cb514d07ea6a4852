import NetTypes

/// The acknowledged-rate estimator's tunables (libwebrtc bitrate_estimator.cc, field
/// trial WebRTC-BweThroughputWindowConfig; the trial's key names in the comments),
/// settable as `controller-parameters` keys starting with `acked-`.
public struct AcknowledgedBitrateParameters: Sendable, Equatable {
    /// Window of the first sample (initial_window_ms 500, within the trial's 150-1000 ms).
    public var initialWindow = Duration.milliseconds(500)
    /// Window of later samples (window_ms 150, within 150-1000 ms).
    public var window = Duration.milliseconds(150)
    /// A sample's uncertainty is scale × |estimate − sample| / (estimate + min(sample,
    /// symmetry cap)) (scale 10).
    public var uncertaintyScale = 10.0
    /// The scale for a sample below the estimate taken in the application-limited region
    /// (scale_alr 10): larger, and a sender that does not fill its rate lowers the
    /// estimate more slowly.
    public var alrUncertaintyScale = 10.0
    /// The scale for a sample below the estimate whose window held fewer than
    /// `smallSampleThreshold` bytes (scale_small 10, small_thresh 0 bytes: never).
    public var smallSampleUncertaintyScale = 10.0
    public var smallSampleThreshold = 0
    /// Caps the sample's share of the uncertainty's denominator (symmetry_cap 0 kbps):
    /// at 0 an increase counts as more uncertain than a decrease of the same size.
    public var symmetryCapBps = 0.0
    /// The estimate never falls below this (floor 0 kbps).
    public var estimateFloorBps = 0.0
    /// The estimate's variance before the first update, kbps² (bitrate_estimate_var_ 50),
    /// and the variance added before each update (pred_bitrate_estimate_var = var + 5).
    public var initialVariance = 50.0
    public var processNoise = 5.0

    public init() {}

    /// The `controller-parameters` keys.
    public static let keys = ["acked-initial-window", "acked-window", "acked-uncertainty-scale", "acked-alr-uncertainty-scale",
                              "acked-small-sample-uncertainty-scale", "acked-small-sample-threshold", "acked-symmetry-cap",
                              "acked-estimate-floor", "acked-initial-variance", "acked-process-noise"]

    /// Sets `key` (one of `keys`) from `text`, checked against its range (the windows
    /// against the trial's bounds).
    mutating func set(_ key: String, _ text: String) throws(ControllerParameterError) {
        typealias P = ControllerParameters
        switch key {
        case "acked-initial-window": initialWindow = .fromSeconds(try P.seconds(key, text, in: 0.15...1))
        case "acked-window": window = .fromSeconds(try P.seconds(key, text, in: 0.15...1))
        case "acked-uncertainty-scale": uncertaintyScale = try P.number(key, text, in: 0...1000)
        case "acked-alr-uncertainty-scale": alrUncertaintyScale = try P.number(key, text, in: 0...1000)
        case "acked-small-sample-uncertainty-scale": smallSampleUncertaintyScale = try P.number(key, text, in: 0...1000)
        case "acked-small-sample-threshold": smallSampleThreshold = Int(try P.number(key, text, in: 0...10_000_000, integer: true))
        case "acked-symmetry-cap": symmetryCapBps = try P.rate(key, text, in: 0...1e9)
        case "acked-estimate-floor": estimateFloorBps = try P.rate(key, text, in: 0...1e9)
        case "acked-initial-variance": initialVariance = try P.number(key, text, in: 0.001...1e6)
        case "acked-process-noise": processNoise = try P.number(key, text, in: 0.001...1e6)
        default: throw ControllerParameterError(key: key, "unknown acked parameter '\(key)'")
        }
    }
}
