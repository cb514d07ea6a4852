import NetTypes

/// GCC's loss-based controller (draft-ietf-rmcat-gcc-02 §6; libwebrtc
/// send_side_bandwidth_estimation.cc): raises the rate by 8 % per second while loss
/// stays below 2 %, cuts it by (1 − 0.5 × loss) when loss exceeds 10 %, holds in
/// between — and never exceeds the delay-based estimate.
struct LossBasedController: Sendable {
    /// Added to each increase (libwebrtc UpdateEstimate: 1 kbps).
    static let increaseOffsetBps = 1000.0
    /// Window of the minimum-rate history (libwebrtc kBweIncreaseInterval: 1 s).
    static let increaseInterval = Duration.seconds(1)
    /// Loss fractions are computed over at least this many packets (libwebrtc kLimitNumPackets: 20).
    static let minPacketsPerLossReport = 20
    /// While no loss was seen in this first span, follow the delay-based estimate up
    /// (probe results) directly (libwebrtc kStartPhase: 2 s).
    static let startPhase = Duration.seconds(2)
    /// Loss reports older than this are stale (libwebrtc 1.2 × kMaxRtcpFeedbackInterval = 6 s).
    static let maxReportAge = Duration.seconds(6)

    private(set) var targetBps: Double
    private(set) var lastLossFraction = 0.0
    private var minBps: Double
    private var maxBps: Double
    private var delayBasedLimitBps = Double.infinity
    /// The receiver's estimate (REMB; libwebrtc `UpdateReceiverEstimate`): another upper limit.
    private var receiverLimitBps = Double.infinity
    /// Increase below, decrease above (draft §6 and libwebrtc kDefaultLowLossThreshold 2 %,
    /// kDefaultHighLossThreshold 10 %; `GoogCCParameters`).
    private let lowLoss: Double
    private let highLoss: Double
    /// Increase factor over the minimum of the last second (libwebrtc UpdateEstimate: 1.08).
    private let increaseFactor: Double
    /// Minimum spacing of decreases, plus one RTT (libwebrtc kBweDecreaseInterval: 300 ms).
    private let decreaseInterval: Duration
    private var minHistory: [(time: Instant, bps: Double)] = []
    private var lostSinceReport = 0
    private var expectedSinceReport = 0
    private var firstReportTime: Instant?
    private var lastReportTime: Instant?
    private var lastDecreaseTime: Instant?
    private var decreasedSinceReport = false
    var rtt = Duration.milliseconds(200)

    init(startBps: Double, minBps: Double, maxBps: Double, lowLoss: Double = 0.02, highLoss: Double = 0.10,
         increaseFactor: Double = 1.08, decreaseInterval: Duration = .milliseconds(300)) {
        targetBps = startBps
        self.lowLoss = lowLoss
        self.highLoss = highLoss
        self.increaseFactor = increaseFactor
        self.decreaseInterval = decreaseInterval
        self.minBps = minBps
        self.maxBps = maxBps
    }

    /// New bounds (a mid-call rate constraint); the target is clamped into them.
    mutating func setBounds(minBps: Double, maxBps: Double) {
        self.minBps = minBps
        self.maxBps = maxBps
        apply(targetBps)
    }

    /// Counts lost and expected packets from one feedback.
    mutating func onPacketResults(lost: Int, expected: Int, now: Instant) {
        if firstReportTime == nil { firstReportTime = now }
        lostSinceReport += lost
        expectedSinceReport += expected
        guard expectedSinceReport >= Self.minPacketsPerLossReport else { return }
        lastLossFraction = Double(lostSinceReport) / Double(expectedSinceReport)
        lostSinceReport = 0
        expectedSinceReport = 0
        decreasedSinceReport = false
        lastReportTime = now
        update(now: now)
    }

    /// The delay-based estimate: an upper limit.
    mutating func setDelayBasedLimit(bps: Double, now: Instant) {
        delayBasedLimitBps = bps
        apply(targetBps)
    }

    /// The receiver's estimate (REMB): an upper limit like the delay-based one.
    mutating func setReceiverLimit(bps: Double) {
        receiverLimitBps = bps
        apply(targetBps)
    }

    /// Sets the rate outright (a probe result, or LossBasedBweV2's estimate).
    mutating func setTarget(bps: Double, now: Instant) {
        apply(bps)
        minHistory = [(now, targetBps)]
    }

    /// Timer-driven update (every process interval).
    mutating func update(now: Instant) {
        if lastLossFraction == 0, let first = firstReportTime, now - first < Self.startPhase,
           delayBasedLimitBps.isFinite, delayBasedLimitBps > targetBps {
            setTarget(bps: delayBasedLimitBps, now: now)
            return
        }
        updateMinHistory(now: now)
        guard let lastReport = lastReportTime, now - lastReport < Self.maxReportAge else { apply(targetBps); return }
        if lastLossFraction <= lowLoss {
            apply(minHistory[0].bps * increaseFactor + Self.increaseOffsetBps)
        } else if lastLossFraction > highLoss, !decreasedSinceReport,
                  lastDecreaseTime.map({ now - $0 >= decreaseInterval + rtt }) ?? true {
            lastDecreaseTime = now
            decreasedSinceReport = true
            apply(targetBps * (1 - 0.5 * lastLossFraction))
        } else {
            apply(targetBps)
        }
    }

    /// A sliding minimum of the target over the last `increaseInterval`.
    private mutating func updateMinHistory(now: Instant) {
        while let first = minHistory.first, now - first.time + .milliseconds(1) > Self.increaseInterval { minHistory.removeFirst() }
        while let last = minHistory.last, targetBps <= last.bps { minHistory.removeLast() }
        minHistory.append((now, targetBps))
    }

    private mutating func apply(_ bps: Double) {
        targetBps = max(min(bps, delayBasedLimitBps, receiverLimitBps, maxBps), minBps)
    }
}
