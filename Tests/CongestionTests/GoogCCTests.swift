import NetTypes
import RTP
import Testing
@testable import Congestion

/// The whole controller on synthetic feedback: 1000-byte packets every 10 ms (800 kbps),
/// feedback every 50 ms, one-way delay flat or growing.
@Suite struct GoogCCTests {
    struct Feed {
        var gcc: GoogCCController
        var sequence: Int64 = 0
        var now = Instant.zero
        var delay = Duration.milliseconds(40)
        /// Every nth packet lost (0: none).
        var lossEvery = 0
        /// Bytes per packet (one every 10 ms).
        var packetSize = 1000

        init(_ parameters: GoogCCParameters = GoogCCParameters()) {
            var configuration = GoogCCController.Configuration()
            configuration.parameters = parameters
            gcc = GoogCCController(configuration: configuration)
        }

        mutating func run(for span: Duration, delayGrowthPerPacket: Duration = .zero) {
            let end = now + span
            while now < end {
                var results: [PacketResult] = []
                for _ in 0..<5 {
                    let sent = SentPacket(sequence: sequence, size: packetSize, sendTime: now)
                    gcc.onPacketSent(sent)
                    delay = delay + delayGrowthPerPacket
                    let lost = lossEvery > 0 && sequence % Int64(lossEvery) == 0
                    results.append(PacketResult(sent: sent, receiveTime: lost ? nil : now + delay))
                    sequence += 1
                    now += .milliseconds(10)
                    if now.nanoseconds % 25_000_000 == 0 { gcc.onProcessInterval(now: now) }
                }
                gcc.onFeedback(results, now: now + delay)
            }
        }
    }

    @Test func increasesWhileDelayIsFlatThenBacksOffOnOveruse() {
        var feed = Feed()
        // 8 %/s from 300 kbps passes 1.21 Mbps after ln(4)/ln(1.08) ≈ 18 s.
        feed.run(for: .seconds(20))
        #expect(feed.gcc.bandwidthUsage == .normal)
        let acked = Double(feed.gcc.acknowledgedRate!.bitsPerSecond)
        #expect(abs(acked - 800_000) < 40_000)
        // Throughput-limited increase: at most 1.5 × acked + 10 kbps.
        #expect(feed.gcc.delayBasedRate.bitsPerSecond > 1_150_000)
        #expect(Double(feed.gcc.delayBasedRate.bitsPerSecond) <= 1.5 * acked + 10_000)
        // Delay grows 1 ms per 10 ms: the first decrease sets 0.85 × acked − 5 kbps.
        let before = feed.gcc.targetRate
        var steps = 0
        while feed.gcc.targetRate >= before && steps < 40 {
            feed.run(for: .milliseconds(50), delayGrowthPerPacket: .milliseconds(1))
            steps += 1
        }
        #expect(feed.gcc.bandwidthUsage == .overusing)
        let expected = 0.85 * Double(feed.gcc.acknowledgedRate!.bitsPerSecond) - 5_000
        #expect(abs(Double(feed.gcc.targetRate.bitsPerSecond) - expected) < 0.01 * expected)
        #expect(feed.gcc.pacingRate.bitsPerSecond == Int64(Double(feed.gcc.targetRate.bitsPerSecond) * 2.5))
    }

    /// A mid-call maximum caps the target at once; raising it again after start-up
    /// probing asks for a probe at the new maximum (libwebrtc mid-call probing).
    @Test func rateConstraintsCapTheTargetAndARaisedMaximumIsProbed() {
        var feed = Feed()
        feed.run(for: .seconds(3))
        _ = feed.gcc.takeProbeClusters()
        #expect(feed.gcc.targetRate > .kbps(300))
        feed.gcc.setRateConstraints(min: .kbps(30), max: .kbps(250), now: feed.now)
        #expect(feed.gcc.targetRate == .kbps(250))
        #expect(feed.gcc.configuration.maxRate == .kbps(250))
        feed.run(for: .seconds(2))
        #expect(feed.gcc.targetRate <= .kbps(250))
        #expect(feed.gcc.takeProbeClusters().isEmpty)
        feed.gcc.setRateConstraints(min: .kbps(30), max: .mbps(3), now: feed.now)
        #expect(feed.gcc.takeProbeClusters().map(\.rate) == [.mbps(3)])
        // A lower minimum than the estimate changes nothing; a higher one lifts the target.
        feed.gcc.setRateConstraints(min: .kbps(600), max: .mbps(3), now: feed.now)
        #expect(feed.gcc.targetRate >= .kbps(600))
    }

    /// The stable target starts at the start rate, never exceeds the target, and follows
    /// the acknowledged 800 kbps up slowly (10 s time constant) while the target climbs
    /// past it.
    @Test func stableTargetTracksTheLinkSlowly() {
        var feed = Feed()
        #expect(feed.gcc.stableTargetRate == .kbps(300))
        var samples: [(stable: Bitrate, target: Bitrate)] = []
        for _ in 0..<200 {
            feed.run(for: .milliseconds(100))
            samples.append((feed.gcc.stableTargetRate, feed.gcc.targetRate))
        }
        #expect(samples.allSatisfy { $0.stable <= $0.target })
        // After 20 s the target is at 1.5 × acked + 10 kbps; the stable target still
        // approaches min(acked, target) = 800 kbps from below.
        let stable = Double(feed.gcc.stableTargetRate.bitsPerSecond)
        #expect(stable > 400_000 && stable <= 820_000, "\(stable)")
        #expect(feed.gcc.targetRate > .kbps(1100))
    }

    /// `loss-controller: v2`: without loss the target follows the delay-based estimate as
    /// with the classic rule; 2 % loss at a steady rate is inherent and leaves it where it
    /// was; a third of the packets lost brings it down to about the instant upper bound
    /// (75 kbps / (0.33 − 0.05) ≈ 270 kbps) within seconds.
    @Test func lossBasedV2SelectedByParameter() {
        var parameters = GoogCCParameters()
        parameters.lossController = .v2
        var feed = Feed(parameters)
        var classic = Feed()
        #expect(feed.gcc.lossV2 != nil && classic.gcc.lossV2 == nil)
        feed.run(for: .seconds(10))
        classic.run(for: .seconds(10))
        #expect(abs(Double(feed.gcc.targetRate.bitsPerSecond - classic.gcc.targetRate.bitsPerSecond)) < 0.02 * Double(classic.gcc.targetRate.bitsPerSecond),
                "v2 \(feed.gcc.targetRate), classic \(classic.gcc.targetRate)")
        let before = feed.gcc.targetRate
        feed.lossEvery = 50
        feed.run(for: .seconds(5))
        #expect(Double(feed.gcc.targetRate.bitsPerSecond) >= 0.95 * Double(before.bitsPerSecond), "\(before) → \(feed.gcc.targetRate)")
        feed.lossEvery = 3
        feed.run(for: .seconds(5))
        #expect(feed.gcc.targetRate < .kbps(400), "\(feed.gcc.targetRate)")
    }

    /// The wiring of drop probing: a sender of 160 kbps under a target of about 300 kbps
    /// is application-limited; an overuse cuts the target to about 0.85 × 160 − 5 = 131
    /// kbps (a large drop); when the detector comes back from underuse to normal the
    /// controller asks for one probe at 0.85 × the target before the drop.
    @Test func probesAfterALargeDropInALR() throws {
        var feed = Feed()
        feed.packetSize = 200
        feed.run(for: .seconds(6))
        _ = feed.gcc.takeProbeClusters()
        #expect(feed.gcc.inApplicationLimitedRegion)
        let before = Double(feed.gcc.targetRate.bitsPerSecond)
        feed.run(for: .milliseconds(600), delayGrowthPerPacket: .milliseconds(1))
        #expect(Double(feed.gcc.targetRate.bitsPerSecond) < 0.66 * before, "\(feed.gcc.targetRate)")
        // The queue drains (delay falls) until the detector reports underuse, then the
        // delay stays flat and the detector returns to normal.
        var probes: [ProbeCluster] = []
        for _ in 0..<60 where probes.isEmpty {
            feed.run(for: .milliseconds(50), delayGrowthPerPacket: feed.gcc.bandwidthUsage == .underusing ? .zero : -.milliseconds(1))
            probes = feed.gcc.takeProbeClusters()
        }
        #expect(probes.count == 1)
        #expect(probes.allSatisfy { abs(Double($0.rate.bitsPerSecond) - 0.85 * before) < 1 }, "\(probes.map(\.rate)) after \(before)")
    }
}
