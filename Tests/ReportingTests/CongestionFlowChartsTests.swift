import Foundation
import NetTypes
import Records
@testable import Results
import Testing
@testable import Reporting

/// The congestion-control section's per-flow charts for CC engineers: received rate, RTT,
/// the throughput ratio of each flow to the first, and a queuing-delay CDF per flow.
@Suite struct CongestionFlowChartsTests {
    /// One run of two flows for 20 s: `a/0` receives 2 Mbit/s, `b/0` 1 Mbit/s; RTT 60 ms;
    /// queuing delays 0-19 ms (a) and 20-39 ms (b).
    static func samples() -> [SeriesSample] {
        (0..<200).flatMap { i -> [SeriesSample] in
            let time = Duration.milliseconds(Int64(i) * 100)
            return [("a/0", 2_000_000.0, Double(i % 20)), ("b/0", 1_000_000.0, Double(20 + i % 20))].flatMap { flow, rate, delay in
                [SeriesSample(session: flow, name: FlowSeries.Name.capacity, time: time, value: 3_500_000),
                 SeriesSample(session: flow, name: FlowSeries.Name.target, time: time, value: rate),
                 SeriesSample(session: flow, name: FlowSeries.Name.received, time: time, value: rate),
                 SeriesSample(session: flow, name: FlowSeries.Name.roundTripTime, time: time, value: 60),
                 SeriesSample(session: flow, name: FlowSeries.Name.queueDelay, time: time, value: delay)]
            }
        }
    }

    @Test func ratioAndDelayCDFPerFlow() throws {
        let stored = Self.samples().map { StoredSample(session: $0.session, name: $0.name, timeMilliseconds: $0.time.milliseconds, value: $0.value) }
        let ratio = FlowComparisonCharts.ratioLines(stored, maximumPoints: 600)
        #expect(ratio.map(\.label) == ["b/0 / a/0"])
        #expect(ratio.first?.points.count == 200 && ratio.first?.points.allSatisfy { $0.y == 0.5 } == true)
        let cdfs = FlowComparisonCharts.delayCDFs(stored)
        #expect(cdfs.map(\.label) == ["a/0", "b/0"])
        #expect(cdfs[0].points.first?.x == 0 && cdfs[0].points.last?.x == 19 && cdfs[0].points.last?.y == 1)
        #expect(cdfs[1].points.first?.x == 20 && cdfs[1].points.last?.x == 39)
        #expect(FlowComparisonCharts.ratioLines(stored.filter { $0.session == "a/0" }, maximumPoints: 600).isEmpty)
    }

    @Test func reportHasTheNewCharts() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "cc", path: "cc.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        // RFC 8868 §3's exact 200 ms rates of flow a/0.
        let exact = (1...100).flatMap { i in
            [FlowSeries.Name.sent200ms, FlowSeries.Name.received200ms, FlowSeries.Name.goodput200ms].map { name in
                SeriesSample(session: "a/0", name: name, time: .milliseconds(Int64(i) * 200), value: 1_900_000)
            }
        }
        let run = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                            simulatedTime: .seconds(20), simulatorEvents: 1, series: Self.samples() + exact)
        try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        let html = try ReportGenerator.render(store: store, sweepID: sweep)
        #expect(XMLWellFormedness.check(html) == nil)
        for axis in ["bitrate (Mbit/s)", "RTT (ms)", "throughput ratio", "share of samples"] { #expect(html.contains(">\(axis)</text>"), "\(axis)") }
        #expect(html.contains(">received_bps (a/0)</text>") && html.contains(">b/0 / a/0</text>"))
        #expect(html.contains("received rate of each flow over the first flow&#39;s") || html.contains("received rate of each flow over the first flow's"))
        #expect(html.contains("no SRTP tag, UDP or IP header"))
        #expect(html.contains(">goodput_200ms_bps (a/0)</text>") && html.contains("exact rates per 200 ms interval"))
    }
}
