import NetTypes
import RTP
import Testing
@testable import Congestion

@Suite struct RateControlTests {
    @Test func aimdIncreasesEightPercentPerSecondWhenNormal() {
        var aimd = AimdRateControl(startBps: 1_000_000, minBps: 10_000, maxBps: 10_000_000)
        for i in 0...40 { aimd.update(usage: .normal, ackedBps: 1_000_000, now: .zero + .milliseconds(Int64(25 * i))) }
        #expect(abs(aimd.currentBps - 1_080_000) < 2_000)
        #expect(abs(AimdRateControl.growth(1, logFactor: CongestionMath.logarithm(1.08)) - 1.08) < 1e-15)
    }

    @Test func aimdDecreasesToEightyFivePercentOfAckedOnOveruse() {
        var aimd = AimdRateControl(startBps: 1_000_000, minBps: 10_000, maxBps: 10_000_000)
        aimd.update(usage: .overusing, ackedBps: 800_000, now: .zero + .seconds(1))
        #expect(aimd.currentBps == 0.85 * 800_000 - 5_000)
        // Held after a decrease; a normal verdict then increases again, additively now
        // that a link capacity estimate exists (slower than 8 %/s).
        aimd.update(usage: .normal, ackedBps: 675_000, now: .zero + .milliseconds(1100))
        let held = aimd.currentBps
        aimd.update(usage: .normal, ackedBps: 675_000, now: .zero + .milliseconds(2100))
        #expect(aimd.currentBps > held)
        #expect(aimd.currentBps - held < 0.08 * held)
    }

    @Test func aimdIncreaseIsCappedByAckedRate() {
        var aimd = AimdRateControl(startBps: 1_000_000, minBps: 10_000, maxBps: 10_000_000)
        for i in 0...400 { aimd.update(usage: .normal, ackedBps: 200_000, now: .zero + .milliseconds(Int64(25 * i))) }
        #expect(aimd.currentBps == 1_000_000)
    }

    @Test func lossBasedIncreasesBelowTwoAndDecreasesAboveTenPercent() {
        var loss = LossBasedController(startBps: 500_000, minBps: 10_000, maxBps: 10_000_000)
        var now = Instant.zero + .seconds(5)
        loss.onPacketResults(lost: 0, expected: 50, now: now)
        // Steps of 8 % over the minimum of the last second: one step within the first second.
        for _ in 0..<38 { now += .milliseconds(25); loss.update(now: now) }
        #expect(loss.targetBps > 530_000 && loss.targetBps < 560_000)
        let before = loss.targetBps
        loss.onPacketResults(lost: 10, expected: 50, now: now)   // 20 % loss
        #expect(abs(loss.targetBps - before * 0.9) < 1)
        loss.onPacketResults(lost: 3, expected: 50, now: now)    // 6 %: hold
        #expect(abs(loss.targetBps - before * 0.9) < 1)
        loss.setDelayBasedLimit(bps: 300_000, now: now)
        #expect(loss.targetBps == 300_000)
    }

    @Test func acknowledgedRateConvergesToTheDeliveryRate() {
        var acked = AcknowledgedBitrateEstimator()
        // 1000-byte packets every 8 ms: 1 Mbps.
        let results = (0..<500).map { (i: Int) -> PacketResult in
            let arrival = Instant.zero + Duration.milliseconds(Int64(8 * i))
            return PacketResult(sent: SentPacket(sequence: Int64(i), size: 1000, sendTime: .zero), receiveTime: arrival)
        }
        acked.update(results)
        #expect(abs(acked.bps! - 1_000_000) < 60_000)
    }

    @Test func probeEstimateIsTheReceiveRateOfASaturatedLink() {
        var estimator = ProbeBitrateEstimator()
        let cluster = ProbeCluster(id: 1, rate: .mbps(2), minPackets: 5, minBytes: 3750)
        estimator.expect(cluster, now: .zero)
        // Sent at 2 Mbps (1000 B every 4 ms), received at 1 Mbps (every 8 ms).
        let results = (0..<10).map { (i: Int) -> PacketResult in
            let send = Instant.zero + Duration.milliseconds(Int64(4 * i))
            let arrival = Instant.zero + Duration.milliseconds(Int64(50 + 8 * i))
            return PacketResult(sent: SentPacket(sequence: Int64(i), size: 1000, sendTime: send, probeClusterID: 1), receiveTime: arrival)
        }
        let estimate = estimator.handle(results, now: .zero + .milliseconds(200))!
        #expect(abs(estimate - 950_000) < 1_000)
    }

    @Test func startupProbesAtThreeAndSixTimesTheStartRate() {
        var gcc = GoogCCController()
        gcc.onProcessInterval(now: .zero)
        let clusters = gcc.takeProbeClusters()
        #expect(clusters.map(\.rate) == [.kbps(900), .kbps(1800)])
        #expect(clusters.allSatisfy { $0.minPackets == 5 })
        #expect(clusters[0].minBytes == 900_000 * 15 / 1000 / 8)
        #expect(gcc.targetRate == .kbps(300))
        #expect(gcc.pacingRate == .kbps(750))
    }
}
