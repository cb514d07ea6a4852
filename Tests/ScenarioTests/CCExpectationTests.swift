import NetTypes
import Records
import Testing
@testable import Scenario

/// RFC 8868-style expectations: a series' value at a time, the throughput ratio of two
/// flows in a window, a delay percentile in a window.
@Suite struct CCExpectationTests {
    static func expectations(_ expect: String) throws(ScenarioError) -> [MediaExpectation] {
        try MediaParsingTests.scenario(expect: expect).mediaExpectations
    }

    /// Two flows sampled every 100 ms for 10 s: `call/0` receives 2 Mbit/s, `other/0`
    /// 1 Mbit/s; queuing delay i ms at sample i % 100 (0-99 ms); RTT 40 ms, then 80 ms from 5 s.
    static var flows: [String: [FlowSeries]] {
        var call = FlowSeries(label: "call/0"), other = FlowSeries(label: "other/0")
        for i in 0..<100 {
            let time = Duration.milliseconds(Int64(i) * 100)
            call.append(FlowSeries.Name.received, 2_000_000, at: time)
            other.append(FlowSeries.Name.received, 1_000_000, at: time)
            call.append(FlowSeries.Name.queueDelay, Double(i), at: time)
            call.append(FlowSeries.Name.roundTripTime, i < 50 ? 40 : 80, at: time)
            call.append(FlowSeries.Name.freezeCount, Double(i / 25), at: time)
            call.append(FlowSeries.Name.residualLoss, 0.002, at: time)
        }
        return ["call": [call], "other": [other]]
    }

    static func verdict(_ expect: String) throws -> (passed: Bool, message: String) {
        let e = try #require(try expectations("[\(expect)]").first)
        let result = MediaExpectations.evaluate(e, flows: flows)
        return (result.passed, result.message)
    }

    @Test func newExpectationsParse() throws {
        let m = try Self.expectations("""
        [{ session: call, value-at: { series: received_bps, at: 30s, expected: 1.5Mbps, tolerance: 10% } },
         { session: call, value-at: { series: rtt_ms, at: 5s, expected: 80ms, tolerance: 5 } },
         { sessions: [call, other], throughput-ratio: { from: 10s, to: 20s, at-least: 0.5, at-most: 2 } },
         { session: call, delay-percentile: { percentile: 99, below: 200ms, from: 5s } },
         { session: call, delay-percentile: { of: one-way, percentile: 50, below: 80ms } }]
        """)
        guard case .valueAt(let series, let at, let expected, let tolerance, let relative) = m[0].check else { Issue.record("\(m[0].check)"); return }
        #expect(series == "received_bps" && at == .seconds(30) && expected == 1_500_000 && abs(tolerance - 0.1) < 1e-9 && relative)
        guard case .valueAt(_, _, let ms, let absolute, let isRelative) = m[1].check else { Issue.record("\(m[1].check)"); return }
        #expect(ms == 80 && absolute == 5 && !isRelative)
        guard case .throughputRatio(let window, let range, nil) = m[2].check else { Issue.record("\(m[2].check)"); return }
        #expect(m[2].sessions == ["call", "other"] && window == TimeWindow(from: .seconds(10), to: .seconds(20)) && range == 0.5...2)
        guard case .delayPercentile(let name, let p, let w, let below) = m[3].check else { Issue.record("\(m[3].check)"); return }
        #expect(name == FlowSeries.Name.queueDelay && p == 99 && w == TimeWindow(from: .seconds(5)) && below == .milliseconds(200))
        guard case .delayPercentile(let oneWay, _, _, _) = m[4].check else { Issue.record("\(m[4].check)"); return }
        #expect(oneWay == FlowSeries.Name.oneWayDelay)
    }

    @Test func newExpectationsAreValidated() {
        func error(_ e: String) -> String { MediaParsingTests.error(expect: "[\(e)]") }
        #expect(error("{ session: call, value-at: { series: recieved_bps, at: 1s, expected: 1, tolerance: 1 } }").contains("did you mean 'received_bps'?"))
        #expect(error("{ session: call, value-at: { series: received_bps, at: 1s, expected: 1 } }").contains("'tolerance'"))
        #expect(error("{ session: call, value-at: { series: received_bps, at: 1s, expected: fast, tolerance: 1 } }").contains("fast"))
        #expect(error("{ session: call, value-at: { series: rtt_ms, at: 1s, expected: 5ms, tolerance: -1 } }").contains("must not be negative"))
        #expect(error("{ session: other, value-at: { series: capacity_bps, at: 1s, expected: 1, tolerance: 1 } }").contains("'bottleneck: LINK'"))
        #expect(error("{ session: call, throughput-ratio: { at-least: 1 } }").contains("needs 'sessions'"))
        #expect(error("{ sessions: [call, other, call], throughput-ratio: { at-least: 1 } }").contains("exactly 2 sessions"))
        #expect(error("{ sessions: [call, other], throughput-ratio: { from: 5s } }").contains("at-least and/or at-most"))
        #expect(error("{ sessions: [call, other], throughput-ratio: { at-least: 2, at-most: 1 } }").contains("0 ≤ at-least ≤ at-most"))
        #expect(error("{ session: call, delay-percentile: { percentile: 101, below: 1s } }").contains("percentile is in (0, 100]"))
        #expect(error("{ session: call, delay-percentile: { of: queeu, percentile: 99, below: 1s } }").contains("did you mean 'queue'?"))
        #expect(error("{ session: call, delay-percentile: { percentile: 99, below: 1s, from: 5s, to: 2s } }").contains("must be after from"))
    }

    @Test func valueAtPassesAndFails() throws {
        #expect(try Self.verdict("{ session: call, value-at: { series: rtt_ms, at: 5s, expected: 80ms, tolerance: 1 } }").passed)
        // At 4.95 s the last sample (4.9 s) says 40 ms.
        let early = try Self.verdict("{ session: call, value-at: { series: rtt_ms, at: 4950ms, expected: 80ms, tolerance: 10% } }")
        #expect(!early.passed && early.message.contains("rtt_ms 40 at 4.9s (expected 80 ± 10.0%)"), "\(early.message)")
        #expect(try !Self.verdict("{ session: call, value-at: { series: received_bps, at: 50s, expected: 1Mbps, tolerance: 10% } }").passed)
        #expect(try Self.verdict("{ session: call, value-at: { series: received_bps, at: 50s, expected: 2.1Mbps, tolerance: 10% } }").passed)
    }

    @Test func throughputRatioPassesAndFails() throws {
        let ok = try Self.verdict("{ sessions: [call, other], throughput-ratio: { from: 2s, to: 8s, at-least: 1.8, at-most: 2.2 } }")
        #expect(ok.passed && ok.message.contains("received rate ratio 2.0 2s-8s"), "\(ok.message)")
        #expect(try !Self.verdict("{ sessions: [other, call], throughput-ratio: { at-least: 0.8 } }").passed)
        #expect(try !Self.verdict("{ sessions: [call, other], throughput-ratio: { at-most: 1.5 } }").passed)
    }

    @Test func delayPercentilePassesAndFails() throws {
        // Samples 0-99 ms: the 90th percentile (nearest rank) is 89 ms.
        let pass = try Self.verdict("{ session: call, delay-percentile: { percentile: 90, below: 90ms } }")
        #expect(pass.passed && pass.message.contains("p90 queue_delay_ms 89"), "\(pass.message)")
        #expect(try !Self.verdict("{ session: call, delay-percentile: { percentile: 90, below: 89ms } }").passed)
        // In 2-3 s the samples are 20-29 ms.
        #expect(try Self.verdict("{ session: call, delay-percentile: { percentile: 99, below: 30ms, from: 2s, to: 3s } }").passed)
        #expect(try !Self.verdict("{ session: call, delay-percentile: { of: one-way, percentile: 99, below: 30ms } }").passed)
    }

    /// `final-value`: the last sample of a cumulative series within bounds; fractions as percentages.
    @Test func finalValuePassesAndFails() throws {
        let pass = try Self.verdict("{ session: call, final-value: { series: freeze_count, at-least: 3, at-most: 3 } }")
        #expect(pass.passed && pass.message == "flow call/0: freeze_count 3 at 9.9s (at least 3, at most 3)", "\(pass.message)")
        #expect(try !Self.verdict("{ session: call, final-value: { series: freeze_count, at-most: 2 } }").passed)
        let loss = try Self.verdict("{ session: call, final-value: { series: residual_loss, at-most: 0.1% } }")
        #expect(!loss.passed && loss.message.hasSuffix("residual_loss 0.2% at 9.9s (at most 0.1%)"), "\(loss.message)")
        #expect(try !Self.verdict("{ session: call, final-value: { series: frames_rendered, at-least: 1 } }").passed)
    }
}
