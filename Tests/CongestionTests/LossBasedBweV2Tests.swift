import NetTypes
import RTP
import Testing
@testable import Congestion

/// LossBasedBweV2 on synthetic loss patterns: 1 Mbps sent in 1000-byte packets, feedback
/// every 50 ms, the delay-based estimate at 1 Mbps. Every nth packet lost is loss that
/// does not depend on the rate.
@Suite struct LossBasedBweV2Tests {
    struct Feed {
        var estimator = LossBasedBweV2(parameters: LossBasedBweV2Parameters(), minBps: 30_000, maxBps: 10_000_000)
        var sequence: Int64 = 0
        var now = Instant.zero

        /// Sends for `span`, losing every `lossEvery`-th packet (0: none).
        mutating func run(for span: Duration, lossEvery: Int) {
            let end = now + span
            while now < end {
                var results: [PacketResult] = []
                for _ in 0..<5 {
                    let sent = SentPacket(sequence: sequence, size: 1250, sendTime: now)
                    let lost = lossEvery > 0 && sequence % Int64(lossEvery) == 0
                    results.append(PacketResult(sent: sent, receiveTime: lost ? nil : now + .milliseconds(40)))
                    sequence += 1
                    now += .milliseconds(10)
                }
                estimator.update(results, delayBasedBps: 1_000_000, acknowledgedBps: 1_000_000, inAlr: false)
            }
        }
    }

    /// Not ready before three observations of 250 ms; then the delay-based estimate.
    @Test func readyAfterThreeObservations() throws {
        var feed = Feed()
        feed.run(for: .milliseconds(600), lossEvery: 0)
        #expect(feed.estimator.estimateBps == nil)
        feed.run(for: .milliseconds(400), lossEvery: 0)
        #expect(try #require(feed.estimator.estimateBps) == 1_000_000)
        #expect(feed.estimator.state == .delayBasedEstimate)
    }

    /// 4 % loss at a steady rate is inherent: the estimate holds at the delay-based one,
    /// and the inherent loss estimate climbs towards 4 %.
    @Test func holdsWithRandomLoss() throws {
        var feed = Feed()
        feed.run(for: .seconds(10), lossEvery: 25)
        let estimate = try #require(feed.estimator.estimateBps)
        #expect(estimate >= 950_000, "\(estimate)")
        #expect(feed.estimator.inherentLossEstimate > 0.02 && feed.estimator.inherentLossEstimate < 0.06,
                "\(feed.estimator.inherentLossEstimate)")
    }

    /// One packet in four lost: beyond what inherent loss may explain at 1 Mbps (5 % +
    /// 75 kbps / 1 Mbps = 12.5 %). The instant upper bound 75 kbps / (average loss − 5 %)
    /// caps the estimate: after 4 s of loss the window's weighted average is about 23 %
    /// (the last loss-free observations still weigh in), a bound of about 410 kbps.
    @Test func fallsWithRealLoss() throws {
        var feed = Feed()
        feed.run(for: .seconds(1), lossEvery: 0)
        feed.run(for: .seconds(4), lossEvery: 4)
        let estimate = try #require(feed.estimator.estimateBps)
        #expect(estimate < 500_000, "\(estimate)")
        #expect(feed.estimator.state == .decreasing)
    }

    /// ln and e^x without Foundation match known values.
    @Test func mathematics() {
        #expect(abs(CongestionMath.logarithm(1) - 0) < 1e-15)
        #expect(abs(CongestionMath.logarithm(2) - 0.693_147_180_559_945_3) < 1e-15)
        #expect(abs(CongestionMath.logarithm(1e-6) - -13.815_510_557_964_274) < 1e-12)
        // 0.999999 itself is stored 3e-17 off; the result is within that.
        #expect(abs(CongestionMath.logarithm(0.999_999) - -1.000_000_500_000_333e-6) < 1e-16)
        #expect(abs(CongestionMath.exponential(1) - 2.718_281_828_459_045) < 1e-15)
        #expect(CongestionMath.logarithm(0) == -.infinity)
    }
}
