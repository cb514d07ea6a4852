import NetTypes

/// What a viewer sees of a video stream: frames rendered, capture-to-render delay, time
/// to first frame and freezes as W3C webrtc-stats defines them (RTCInboundRtpStreamStats
/// `freezeCount`, `totalFreezesDuration`): a freeze is an interval between two rendered
/// frames of at least max(3 × d, d + 150 ms), d the average of the last 30 intervals
/// (fewer after the start: the definition sets no minimum, so a stream that stalls after
/// its first frames counts its freezes; libwebrtc's VideoQualityObserver waits for 5).
struct RenderStatistics: Sendable {
    static let averagedIntervals = 30

    private(set) var framesRendered = 0
    private(set) var freezeCount = 0
    private(set) var freezeDuration = Duration.zero
    private(set) var firstRender: Instant?
    /// Per rendered frame: render time minus capture time, ms.
    private(set) var frameDelay = TimeSeries()
    private var lastRender: Instant?
    private var intervals: [Duration] = []
    private var intervalSum = Duration.zero

    /// A frame captured at `captured` (when known) was rendered at `now`.
    mutating func render(at now: Instant, captured: Instant?) {
        framesRendered += 1
        if firstRender == nil { firstRender = now }
        if let captured { frameDelay.append((now - captured).milliseconds, at: now) }
        defer { lastRender = now }
        guard let last = lastRender else { return }
        let interval = now - last
        if !intervals.isEmpty {
            let average = intervalSum / Int64(intervals.count)
            if interval >= max(average * Int64(3), average + .milliseconds(150)) {
                freezeCount += 1
                freezeDuration = freezeDuration + interval
            }
        }
        intervals.append(interval)
        intervalSum = intervalSum + interval
        if intervals.count > Self.averagedIntervals { intervalSum = intervalSum - intervals.removeFirst() }
    }
}
