/// Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4 and
/// §5.5; libwebrtc trendline_estimator.cc `Detect`/`UpdateThreshold`). The threshold
/// follows the trend — fast down, slowly up — so that GCC is not starved by loss-based
/// flows, and overuse is only signalled when it lasts.
struct OveruseDetector: Sendable {
    /// Trend gain (libwebrtc kDefaultTrendlineThresholdGain, trendline_estimator.cc: 4).
    static let thresholdGain = 4.0
    /// The trend is scaled by min(deltas, 60) (libwebrtc kMinNumDeltas).
    static let minNumDeltas = 60
    /// Threshold adaptation up (draft §5.5 K_u = 0.01; libwebrtc k_up_ = 0.0087).
    static let kUp = 0.0087
    /// Threshold adaptation down (draft §5.5 K_d = 0.00018; libwebrtc k_down_ = 0.039).
    static let kDown = 0.039
    /// Initial threshold, ms (draft §5.5 "del_var_th" initial 12.5 ms; libwebrtc threshold_(12.5)).
    static let initialThresholdMs = 12.5
    /// Threshold bounds, ms (draft §5.5: [6, 600]).
    static let thresholdRangeMs = 6.0...600.0
    /// Trends further than this above the threshold do not adapt it (libwebrtc kMaxAdaptOffsetMs: 15 ms).
    static let maxAdaptOffsetMs = 15.0
    /// Longest adaptation step, ms (libwebrtc kMaxTimeDeltaMs in UpdateThreshold: 100 ms).
    static let maxTimeDeltaMs = 100.0
    /// Overuse must last this long (draft §5.4 "overuse_time_th" 10 ms; libwebrtc kOverUsingTimeThreshold).
    static let overusingTimeThresholdMs = 10.0

    private(set) var thresholdMs = initialThresholdMs
    private(set) var state = BandwidthUsage.normal
    private var timeOverUsingMs: Double?
    private var overuseCount = 0
    private var previousTrend = 0.0
    private var lastUpdateMs: Double?

    /// Classifies the path after a new trend estimate.
    mutating func detect(trend: Double, deltaCount: Int, sendDeltaMs: Double, nowMs: Double) -> BandwidthUsage {
        guard deltaCount >= 2 else { state = .normal; return state }
        let modifiedTrend = Double(min(deltaCount, Self.minNumDeltas)) * trend * Self.thresholdGain
        if modifiedTrend > thresholdMs {
            let overusing = timeOverUsingMs.map { $0 + sendDeltaMs } ?? sendDeltaMs / 2
            timeOverUsingMs = overusing
            overuseCount += 1
            if overusing > Self.overusingTimeThresholdMs && overuseCount > 1 && trend >= previousTrend {
                timeOverUsingMs = 0
                overuseCount = 0
                state = .overusing
            }
        } else {
            timeOverUsingMs = nil
            overuseCount = 0
            state = modifiedTrend < -thresholdMs ? .underusing : .normal
        }
        previousTrend = trend
        updateThreshold(modifiedTrend: modifiedTrend, nowMs: nowMs)
        return state
    }

    private mutating func updateThreshold(modifiedTrend: Double, nowMs: Double) {
        let last = lastUpdateMs ?? nowMs
        lastUpdateMs = nowMs
        let magnitude = abs(modifiedTrend)
        if magnitude > thresholdMs + Self.maxAdaptOffsetMs { return }
        let k = magnitude < thresholdMs ? Self.kDown : Self.kUp
        let elapsed = min(nowMs - last, Self.maxTimeDeltaMs)
        thresholdMs += k * (magnitude - thresholdMs) * elapsed
        thresholdMs = min(max(thresholdMs, Self.thresholdRangeMs.lowerBound), Self.thresholdRangeMs.upperBound)
    }
}
