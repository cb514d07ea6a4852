import NetTypes

/// Detects the application-limited region (libwebrtc alr_detector.cc): the sender sends
/// clearly less than the estimate allows, so feedback says nothing about the capacity
/// above what is sent. A budget (libwebrtc IntervalBudget, interval_budget.cc) fills at
/// `bandwidthUsageRatio` × the target and drains by what is sent; ALR starts when the
/// budget is more than `startBudgetRatio` full and ends when it falls below
/// `stopBudgetRatio`. The budget holds at most 500 ms of its rate, in credit or in debt.
struct AlrDetector: Sendable {
    /// Window of the budget (libwebrtc IntervalBudget kWindowMs: 500 ms).
    static let budgetWindow = Duration.milliseconds(500)

    private let usageRatio: Double
    private let startRatio: Double
    private let stopRatio: Double
    private var budgetRateBps = 0.0
    private var bytesRemaining = 0.0
    private var lastSendTime: Instant?
    /// When the current application-limited region started; nil outside one.
    private(set) var startTime: Instant?

    init(usageRatio: Double, startRatio: Double, stopRatio: Double) {
        self.usageRatio = usageRatio
        self.startRatio = startRatio
        self.stopRatio = stopRatio
    }

    private var maxBytes: Double { budgetRateBps * Self.budgetWindow.seconds / 8 }

    /// The budget's fill level in −1...1 (libwebrtc IntervalBudget::budget_ratio).
    var budgetRatio: Double { maxBytes == 0 ? 0 : bytesRemaining / maxBytes }

    /// The target rate changed (libwebrtc AlrDetector::SetEstimatedBitrate): the budget
    /// fills at `usageRatio` of it.
    mutating func setEstimate(bps: Double) {
        budgetRateBps = bps * usageRatio
        bytesRemaining = min(max(bytesRemaining, -maxBytes), maxBytes)
    }

    /// `bytes` left at `now` (libwebrtc AlrDetector::OnBytesSent): the first packet only
    /// starts the clock, as its sending time is unknown.
    mutating func onBytesSent(_ bytes: Int, now: Instant) {
        guard let last = lastSendTime else { lastSendTime = now; return }
        lastSendTime = now
        bytesRemaining = max(bytesRemaining - Double(bytes), -maxBytes)
        // The budget builds up while unused (IntervalBudget can_build_up_underuse: true).
        bytesRemaining = min(bytesRemaining + budgetRateBps * max(now - last, .zero).seconds / 8, maxBytes)
        if budgetRatio > startRatio, startTime == nil {
            startTime = now
        } else if budgetRatio < stopRatio, startTime != nil {
            startTime = nil
        }
    }
}
