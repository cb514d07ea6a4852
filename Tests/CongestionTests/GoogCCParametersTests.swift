import NetTypes
import Testing
@testable import Congestion

/// GCC's `controller-parameters`: libwebrtc's defaults, parsing and refusals.
@Suite struct GoogCCParametersTests {
    static func parse(_ pairs: [(String, String)]) throws(ControllerParameterError) -> GoogCCParameters {
        try GoogCCParameters(ControllerParameters(pairs.map { ControllerParameters.Entry(key: $0.0, value: $0.1) }))
    }

    @Test func defaultsAreLibwebrtcs() {
        let p = GoogCCParameters()
        #expect(p.pacingFactor == 2.5 && p.firstProbeScale == 3 && p.secondProbeScale == 6)
        #expect(p.alrBandwidthUsageRatio == 0.65 && p.alrStartBudgetRatio == 0.80 && p.alrStopBudgetRatio == 0.50)
        #expect(!p.alrProbing && p.alrProbingInterval == .seconds(5) && p.alrProbeScale == 2)
        #expect(p.dropProbing && !p.rapidRecovery && p.bitrateDropThreshold == 0.66 && p.probeFractionAfterDrop == 0.85)
        #expect(p.lossController == .classic && p.lossV2.observationWindow == 20 && p.lossV2.candidateFactors == [1.02, 1.0, 0.95])
        #expect(GoogCCParameters.keys.count == Set(GoogCCParameters.keys).count)
        #expect(p.minProbePackets == 5 && p.minProbeDuration == .milliseconds(15) && p.probeResultTimeout == .seconds(1))
        let aimd = p.aimd
        #expect(aimd.increaseFactor == 1.08 && aimd.minMultiplicativeStepBps == 1000 && aimd.minNearMaxIncreaseBpsPerSecond == 4000)
        #expect(aimd.referenceFrameRate == 30 && aimd.referencePacketSize == 1200 && aimd.responseTimeOffset == .milliseconds(100))
        #expect(aimd.defaultRtt == .milliseconds(200) && aimd.ackedLimitFactor == 1.5 && aimd.ackedLimitOffsetBps == 10_000)
        #expect(aimd.decreaseMarginBps == 5000 && aimd.minReductionInterval == .milliseconds(10)
                    && aimd.maxReductionInterval == .milliseconds(200) && aimd.reduceFurtherRatio == 0.5)
        let acked = p.acknowledgedRate
        #expect(acked.initialWindow == .milliseconds(500) && acked.window == .milliseconds(150) && acked.uncertaintyScale == 10)
        #expect(acked.alrUncertaintyScale == 10 && acked.smallSampleUncertaintyScale == 10 && acked.smallSampleThreshold == 0)
        #expect(acked.symmetryCapBps == 0 && acked.estimateFloorBps == 0 && acked.initialVariance == 50 && acked.processNoise == 5)
        let grouping = p.interArrival
        #expect(grouping.sendTimeGroupLength == .milliseconds(5) && grouping.burstDeltaThreshold == .milliseconds(5))
        #expect(grouping.maxBurstDuration == .milliseconds(100) && grouping.reorderedResetThreshold == 3)
        #expect(GoogCCParameters.keys.count == 83)
    }

    /// The rate control's shape, the acknowledged-rate estimator, the probe clusters and
    /// the grouping, each kind of value.
    @Test func parsesTheShapeParameters() throws {
        let p = try Self.parse([("aimd-increase-factor", "1.2"), ("aimd-acked-limit-offset", "20kbps"), ("aimd-reference-packet-size", "1000"),
                                ("aimd-default-rtt", "100ms"), ("acked-window", "250ms"), ("acked-estimate-floor", "100kbps"),
                                ("acked-small-sample-threshold", "3000"), ("send-time-group-length", "10ms"),
                                ("reordered-reset-threshold", "5"), ("min-probe-packets", "8"), ("probe-result-timeout", "2s")])
        #expect(p.aimd.increaseFactor == 1.2 && p.aimd.ackedLimitOffsetBps == 20_000 && p.aimd.referencePacketSize == 1000)
        #expect(p.aimdRateControl(startBps: 300_000, minBps: 30_000, maxBps: 1e7).rtt == .milliseconds(100))
        #expect(p.acknowledgedRate.window == .milliseconds(250) && p.acknowledgedRate.estimateFloorBps == 100_000
                    && p.acknowledgedRate.smallSampleThreshold == 3000)
        #expect(p.interArrival.sendTimeGroupLength == .milliseconds(10) && p.interArrival.reorderedResetThreshold == 5)
        #expect(p.minProbePackets == 8 && p.probeResultTimeout == .seconds(2))
    }

    @Test func parsesEveryKind() throws {
        let p = try Self.parse([("alr-probing", "true"), ("alr-probing-interval", "2s"), ("loss-controller", "v2"),
                                ("v2-instant-upper-bound-balance", "100kbps"), ("v2-observation-window", "10"),
                                ("probe-fraction-after-drop", "0.9"), ("trendline-window-size", "30"), ("initial-threshold", "20ms")])
        #expect(p.alrProbing && p.alrProbingInterval == .seconds(2) && p.lossController == .v2)
        #expect(p.lossV2.instantUpperBoundBalanceBps == 100_000 && p.lossV2.observationWindow == 10 && p.probeFractionAfterDrop == 0.9)
        #expect(p.trendlineEstimator().windowSize == 30 && p.overuseDetector().thresholdMs == 20)
        let defaults = GoogCCParameters().overuseDetector()
        #expect(defaults.thresholdMs == 12.5 && defaults.kUp == 0.0087 && defaults.kDown == 0.039 && defaults.thresholdGain == 4)
    }

    @Test func refusesBadValuesNamingTheKey() {
        let cases: [([(String, String)], String, String)] = [
            ([("alr-probing", "yes")], "alr-probing", "'yes' is not true or false"),
            ([("loss-controller", "v3")], "loss-controller", "not classic or v2"),
            ([("v2-observation-window", "1")], "v2-observation-window", "outside"),
            ([("v2-instant-upper-bound-balance", "75")], "v2-instant-upper-bound-balance", "is not a rate"),
            ([("low-loss-threshold", "0.2")], "low-loss-threshold", "exceeds high-loss-threshold"),
            ([("aimd-increase-factor", "3")], "aimd-increase-factor", "outside 1.0...2.0"),
            ([("aimd-min-reduction-interval", "300ms")], "aimd-min-reduction-interval", "exceeds aimd-max-reduction-interval"),
            ([("acked-window", "100ms")], "acked-window", "outside 0.15...1.0 s"),
            ([("acked-estimate-floor", "100")], "acked-estimate-floor", "is not a rate"),
            ([("reordered-reset-threshold", "2.5")], "reordered-reset-threshold", "is not an integer"),
            ([("min-probe-packets", "0")], "min-probe-packets", "outside"),
        ]
        for (pairs, key, message) in cases {
            #expect(throws: ControllerParameterError.self) { try Self.parse(pairs) }
            do {
                _ = try Self.parse(pairs)
            } catch {
                #expect(error.key == key && error.message.contains(message), "\(error.message)")
            }
        }
        // The registry refuses unknown keys with the known ones listed.
        #expect(throws: ControllerParameterError.self) {
            try ControllerFactory.gcc.recipe(ControllerParameters([.init(key: "alr", value: "1")]))
        }
    }

    /// The stable target starts at the start rate, follows min(acked, target) up with a
    /// 10 s time constant and falls at once with the delay-based estimate.
    @Test func linkCapacityTracker() {
        var tracker = LinkCapacityTracker(startBps: 300_000, trackingRate: .seconds(10))
        tracker.onRateUpdate(acknowledgedBps: 1_000_000, targetBps: 2_000_000, now: .zero)
        // The first update has no elapsed time: the sample is taken whole (libwebrtc alpha 0).
        #expect(tracker.estimateBps == 1_000_000)
        tracker.onRateUpdate(acknowledgedBps: 2_000_000, targetBps: 2_000_000, now: .zero + .seconds(10))
        #expect(abs(tracker.estimateBps - (1_000_000 * CongestionMath.exponential(-1) + 2_000_000 * (1 - CongestionMath.exponential(-1)))) < 1e-6)
        tracker.onDelayBasedEstimate(bps: 800_000, now: .zero + .seconds(11))
        #expect(tracker.estimateBps == 800_000)
    }
}
