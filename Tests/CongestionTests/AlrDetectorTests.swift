import NetTypes
import Testing
@testable import Congestion

/// ALR detection on constructed send patterns (libwebrtc alr_detector.cc): a budget
/// fills at 0.65 × the estimate, drains by what is sent, and holds ±500 ms of its rate.
@Suite struct AlrDetectorTests {
    struct Sender {
        var alr = AlrDetector(usageRatio: 0.65, startRatio: 0.80, stopRatio: 0.50)
        var now = Instant.zero

        /// Sends `bytes` every `interval` for `span`; returns when ALR started or ended, if it did.
        mutating func send(_ bytes: Int, every interval: Duration, for span: Duration) -> Instant? {
            let end = now + span
            let wasInAlr = alr.startTime != nil
            var change: Instant?
            while now < end {
                alr.onBytesSent(bytes, now: now)
                if change == nil, (alr.startTime != nil) != wasInAlr { change = now }
                now += interval
            }
            return change
        }
    }

    /// 800 kbps against a 1 Mbps estimate uses more than 65 %: never ALR, the budget in
    /// debt. At 200 kbps the budget fills at 450 kbps from −40,625 bytes (500 ms of
    /// 650 kbps) to 80 % of +40,625: 73,125 bytes take 1.3 s. At 1.6 Mbps it drains at
    /// 950 kbps from full to 50 %: 20,312 bytes take 0.17 s.
    @Test func startsAndStopsAtTheBudgetLevels() throws {
        var sender = Sender()
        sender.alr.setEstimate(bps: 1_000_000)
        let busy = sender.send(1000, every: .milliseconds(10), for: .seconds(5))
        #expect(busy == nil)
        #expect(sender.alr.budgetRatio < -0.95)
        let switched = sender.now
        let quiet = sender.send(1000, every: .milliseconds(40), for: .seconds(3))
        let start = try #require(quiet)
        let startDelay = (start - switched).seconds
        #expect(startDelay > 1.2 && startDelay < 1.4, "\(startDelay)")
        #expect(sender.alr.startTime == start)
        let loud = sender.now
        let loudChange = sender.send(2000, every: .milliseconds(10), for: .seconds(1))
        let stop = try #require(loudChange)
        let stopDelay = (stop - loud).seconds
        #expect(stopDelay > 0.14 && stopDelay < 0.2, "\(stopDelay)")
        #expect(sender.alr.startTime == nil)
    }

    /// The first packet only starts the clock; a pause then counts as unused budget.
    @Test func aPauseIsApplicationLimited() {
        var sender = Sender()
        sender.alr.setEstimate(bps: 1_000_000)
        sender.alr.onBytesSent(1000, now: .zero)
        #expect(sender.alr.budgetRatio == 0)
        sender.alr.onBytesSent(1000, now: .zero + .milliseconds(450))
        // 0.45 s × 650 kbps = 36,562 bytes, 1,000 spent: 87.5 % of 40,625.
        #expect(abs(sender.alr.budgetRatio - 35_562.5 / 40_625) < 1e-9)
        #expect(sender.alr.startTime == .zero + .milliseconds(450))
    }
}
