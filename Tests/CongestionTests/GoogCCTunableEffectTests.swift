import NetTypes
import RTP
import Testing
@testable import Congestion

/// GCC's rate-control shape, acknowledged-rate estimator, probe clusters and packet
/// grouping as parameters: a non-default value moves each the way it should, and a
/// sender that cannot pad is never probed for.
@Suite struct GoogCCTunableEffectTests {
    /// The rate after one second of `normal` verdicts from 1 Mbps with 2 Mbps acknowledged
    /// (far from the 1.5 × acked cap, no link capacity estimate: multiplicative increase).
    static func aimdAfterOneSecond(_ parameters: AimdRateControlParameters) -> Double {
        var aimd = AimdRateControl(startBps: 1_000_000, minBps: 10_000, maxBps: 10_000_000, parameters: parameters)
        for i in 0...40 { aimd.update(usage: .normal, ackedBps: 2_000_000, now: .zero + .milliseconds(Int64(25 * i))) }
        return aimd.currentBps
    }

    @Test func aLargerIncreaseFactorRampsFaster() {
        var fast = AimdRateControlParameters()
        fast.increaseFactor = 1.5
        let normal = Self.aimdAfterOneSecond(AimdRateControlParameters())
        let faster = Self.aimdAfterOneSecond(fast)
        #expect(abs(normal - 1_080_000) < 2_000)
        #expect(abs(faster - 1_500_000) < 15_000)
        // The default growth is the one of the former literal ln 1.08, bit for bit.
        #expect(CongestionMath.logarithm(1.08) == 0.076_961_041_136_128_4)
        #expect(abs(AimdRateControl.growth(1, logFactor: CongestionMath.logarithm(2)) - 2) < 3e-7)
        // A lower cap over the acknowledged rate stops the increase earlier.
        var capped = AimdRateControlParameters()
        capped.ackedLimitFactor = 1
        capped.ackedLimitOffsetBps = 0
        var aimd = AimdRateControl(startBps: 1_000_000, minBps: 10_000, maxBps: 10_000_000, parameters: capped)
        for i in 0...40 { aimd.update(usage: .normal, ackedBps: 1_020_000, now: .zero + .milliseconds(Int64(25 * i))) }
        #expect(aimd.currentBps == 1_020_000)
    }

    /// 1000-byte packets at 1 Mbps for 2 s, then at 500 kbps for 0.6 s.
    static let fallingDelivery: [PacketResult] = {
        var arrival = Instant.zero
        return (0..<288).map { (i: Int) -> PacketResult in
            arrival += .milliseconds(i < 250 ? 8 : 16)
            return PacketResult(sent: SentPacket(sequence: Int64(i), size: 1000, sendTime: .zero), receiveTime: arrival)
        }
    }()

    static func acknowledged(_ parameters: AcknowledgedBitrateParameters, inAlr: Bool) -> Double {
        var acked = AcknowledgedBitrateEstimator(parameters: parameters)
        acked.update(fallingDelivery, inAlr: inAlr)
        return acked.bps ?? 0
    }

    /// A larger uncertainty for samples taken in ALR slows the fall of the estimate there
    /// (and only there); a floor holds it up.
    @Test func acknowledgedRateFallsSlowerInALRWithALargerScale() {
        var alr = AcknowledgedBitrateParameters()
        alr.alrUncertaintyScale = 40
        let reference = Self.acknowledged(AcknowledgedBitrateParameters(), inAlr: true)
        #expect(reference < 800_000)
        #expect(Self.acknowledged(alr, inAlr: true) > reference + 50_000)
        #expect(Self.acknowledged(alr, inAlr: false) == reference)
        var floored = AcknowledgedBitrateParameters()
        floored.estimateFloorBps = 900_000
        #expect(Self.acknowledged(floored, inAlr: false) == 900_000)
    }

    /// Cluster size and duration follow the parameters; a shorter wait for results ends
    /// start-up probing before a result that would have probed further.
    @Test func probeClustersAndTheirTimeoutFollowTheParameters() {
        var parameters = GoogCCParameters()
        parameters.minProbePackets = 10
        parameters.minProbeDuration = .milliseconds(30)
        var probes = ProbeController(maxBps: 10_000_000, parameters: parameters)
        probes.process(startBps: 300_000, now: .zero)
        let clusters = probes.takePending()
        #expect(clusters.map(\.minPackets) == [10, 10])
        #expect(clusters.map(\.minBytes) == [900_000 * 30 / 1000 / 8, 1_800_000 * 30 / 1000 / 8])
        var impatient = GoogCCParameters()
        impatient.probeResultTimeout = .milliseconds(500)
        for (parameters, further) in [(GoogCCParameters(), [Bitrate.mbps(3)]), (impatient, [])] {
            var probes = ProbeController(maxBps: 10_000_000, parameters: parameters)
            probes.process(startBps: 300_000, now: .zero)
            _ = probes.takePending()
            probes.process(startBps: 300_000, now: .zero + .milliseconds(600))
            // 1.5 Mbps is above 70 % of the 1.8 Mbps probe: probe on at 2 × unless given up.
            probes.onEstimate(bps: 1_500_000, now: .zero + .milliseconds(600))
            let next = probes.takePending()
            #expect(next.map(\.rate) == further)
        }
    }

    /// A sender that cannot pad gets no probe: not at start-up, not for a raised maximum,
    /// not after a large drop with rapid recovery on.
    @Test func noProbesWithoutPadding() {
        var parameters = GoogCCParameters()
        parameters.rapidRecovery = true
        var probes = ProbeController(maxBps: 2_000_000, parameters: parameters)
        probes.paddingAllowed = false
        probes.process(startBps: 300_000, now: .zero)
        probes.setMaximum(bps: 5_000_000, estimateBps: 300_000, now: .zero + .seconds(2))
        probes.onTarget(bps: 1_000_000, now: .zero + .seconds(5))
        probes.onTarget(bps: 500_000, now: .zero + .seconds(6))
        probes.requestProbe(now: .zero + .seconds(7))
        let none = probes.takePending()
        #expect(none.isEmpty)
        var gcc = GoogCCController()
        gcc.setPaddingAllowed(false)
        gcc.onProcessInterval(now: .zero)
        let clusters = gcc.takeProbeClusters()
        #expect(clusters.isEmpty)
        var padding = GoogCCController()
        padding.setPaddingAllowed(true)
        padding.onProcessInterval(now: .zero)
        let startUp = padding.takeProbeClusters()
        #expect(startUp.count == 2)
    }

    /// Packets sent every 2 ms with a constant delay: the number of group deltas over
    /// 200 ms, for a send-time group of `length`.
    static func groupDeltas(length: Duration) -> Int {
        var parameters = InterArrivalParameters()
        parameters.sendTimeGroupLength = length
        var interArrival = InterArrivalDelta(parameters: parameters)
        var count = 0
        for i in 0..<100 {
            let send = Instant.zero + .milliseconds(Int64(2 * i))
            if interArrival.add(sendTime: send, arrival: send + .milliseconds(30)) != nil { count += 1 }
        }
        return count
    }

    /// A longer send-time group merges more packets: fewer, larger groups.
    @Test func aLongerGroupMergesMorePackets() {
        let byDefault = Self.groupDeltas(length: .milliseconds(5))
        let longer = Self.groupDeltas(length: .milliseconds(20))
        #expect(byDefault == 32)
        #expect(longer == 8)
    }
}
