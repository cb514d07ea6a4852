/// Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4 and
/// §5.5; libwebrtc trendline_estimator.cc `Detect`/`UpdateThreshold`). The threshold
/// follows the trend — fast down, slowly up — so that GCC is not starved by loss-based
/// flows, and overuse is only signalled when it lasts.
struct OveruseDetector: Sendable {
    /// The trend is scaled by min(deltas, 60) (libwebrtc kMinNumDeltas).
    static let minNumDeltas = 60
    /// Threshold bounds, ms (draft §5.5: [6, 600]).
    static let thresholdRangeMs = 6.0...600.0
    /// Trends further than this above the threshold do not adapt it (libwebrtc kMaxAdaptOffsetMs: 15 ms).
    static let maxAdaptOffsetMs = 15.0
    /// Longest adaptation step, ms (libwebrtc kMaxTimeDeltaMs in UpdateThreshold: 100 ms).
    static let maxTimeDeltaMs = 100.0
    /// Trend gain (libwebrtc kDefaultTrendlineThresholdGain, trendline_estimator.cc: 4).
    let thresholdGain: Double
    /// Threshold adaptation up (draft §5.5 K_u = 0.01; libwebrtc k_up_ = 0.0087).
    let kUp: Double
    /// Threshold adaptation down (draft §5.5 K_d = 0.00018; libwebrtc k_down_ = 0.039).
    let kDown: Double
    /// Overuse must last this long, ms (draft §5.4 "overuse_time_th" 10 ms; libwebrtc kOverUsingTimeThreshold).
    let overusingTimeThresholdMs: Double

    /// Current threshold, ms; starts at draft §5.5 "del_var_th" 12.5 ms (libwebrtc threshold_(12.5)).
    private(set) var thresholdMs: Double
    private(set) var state = BandwidthUsage.normal
    private var timeOverUsingMs: Double?
    private var overuseCount = 0
    private var previousTrend = 0.0
    private var lastUpdateMs: Double?

    init(thresholdGain: Double = 4, kUp: Double = 0.0087, kDown: Double = 0.039, initialThresholdMs: Double = 12.5,
         overusingTimeThresholdMs: Double = 10) {
        self.thresholdGain = thresholdGain
        self.kUp = kUp
        self.kDown = kDown
        thresholdMs = initialThresholdMs
        self.overusingTimeThresholdMs = overusingTimeThresholdMs
    }

    /// Classifies the path after a new trend estimate.
    mutating func detect(trend: Double, deltaCount: Int, sendDeltaMs: Double, nowMs: Double) -> BandwidthUsage {
        guard deltaCount >= 2 else { state = .normal; return state }
        let modifiedTrend = Double(min(deltaCount, Self.minNumDeltas)) * trend * thresholdGain
        if modifiedTrend > thresholdMs {
            let overusing = timeOverUsingMs.map { $0 + sendDeltaMs } ?? sendDeltaMs / 2
            timeOverUsingMs = overusing
            overuseCount += 1
            if overusing > overusingTimeThresholdMs && overuseCount > 1 && trend >= previousTrend {
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
        let k = magnitude < thresholdMs ? kDown : kUp
        let elapsed = min(nowMs - last, Self.maxTimeDeltaMs)
        thresholdMs += k * (magnitude - thresholdMs) * elapsed
        thresholdMs = min(max(thresholdMs, Self.thresholdRangeMs.lowerBound), Self.thresholdRangeMs.upperBound)
    }
}
