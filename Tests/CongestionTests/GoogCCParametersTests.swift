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
