/// Estimates the trend of one-way delay variation: the slope of a least-squares line
/// through the last `windowSize` (arrival time, smoothed accumulated delay) points
/// (libwebrtc trendline_estimator.cc, the successor of the draft's Kalman filter,
/// draft-ietf-rmcat-gcc-02 §5.3). A positive slope means a queue is building.
struct TrendlineEstimator: Sendable {
    /// Points in the window (libwebrtc kDefaultTrendlineWindowSize, trendline_estimator.cc: 20).
    let windowSize: Int
    /// Smoothing of the accumulated delay (libwebrtc kDefaultTrendlineSmoothingCoeff: 0.9).
    let smoothing: Double

    private struct Point { var arrivalMs: Double; var smoothedDelayMs: Double }

    private var firstArrivalMs: Double?
    private var accumulatedDelayMs = 0.0
    private var smoothedDelayMs = 0.0
    private var history: [Point] = []
    /// The latest slope (ms of delay per ms); kept while the window is filling.
    private(set) var trend = 0.0
    /// Group deltas seen, capped at 1000 (libwebrtc kDeltaCounterMax).
    private(set) var deltaCount = 0

    init(windowSize: Int = 20, smoothing: Double = 0.9) {
        self.windowSize = windowSize
        self.smoothing = smoothing
    }

    /// Adds one group delta: `arrivalDeltaMs - sendDeltaMs` is the delay variation.
    mutating func update(arrivalDeltaMs: Double, sendDeltaMs: Double, arrivalMs: Double) {
        deltaCount = min(deltaCount + 1, 1000)
        let first = firstArrivalMs ?? arrivalMs
        firstArrivalMs = first
        accumulatedDelayMs += arrivalDeltaMs - sendDeltaMs
        smoothedDelayMs = smoothing * smoothedDelayMs + (1 - smoothing) * accumulatedDelayMs
        history.append(Point(arrivalMs: arrivalMs - first, smoothedDelayMs: smoothedDelayMs))
        if history.count > windowSize { history.removeFirst() }
        if history.count == windowSize, let slope = slope() { trend = slope }
    }

    /// Least-squares slope of the window; nil when all points share one arrival time.
    private func slope() -> Double? {
        let n = Double(history.count)
        let meanX = history.reduce(0) { $0 + $1.arrivalMs } / n
        let meanY = history.reduce(0) { $0 + $1.smoothedDelayMs } / n
        var numerator = 0.0, denominator = 0.0
        for p in history {
            numerator += (p.arrivalMs - meanX) * (p.smoothedDelayMs - meanY)
            denominator += (p.arrivalMs - meanX) * (p.arrivalMs - meanX)
        }
        return denominator == 0 ? nil : numerator / denominator
    }
}
