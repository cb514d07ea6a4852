import Foundation
import NetTypes
import Records
import Results
import Testing
@testable import Reporting

/// The TCP cross-traffic section: a summary row per run and flow, and charts per flow.
@Suite struct TCPTrafficSectionTests {
    @Test func summaryAndChartsPerFlow() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "tcp", path: "tcp.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        let series = (1...20).flatMap { i -> [SeriesSample] in
            let time = Duration.milliseconds(Int64(i) * 100)
            return [SeriesSample(session: "bulk", name: TCPSeries.goodput, time: time, value: 1_600_000),
                    SeriesSample(session: "bulk", name: TCPSeries.congestionWindow, time: time, value: 40_000),
                    SeriesSample(session: "bulk", name: TCPSeries.smoothedRTT, time: time, value: 120),
                    SeriesSample(session: "bulk", name: TCPSeries.retransmissions, time: time, value: 0)]
        }
        let flows = [TCPFlowResult(flow: "bulk", kind: "tcp-bulk", sender: "a", receiver: "b", congestionControl: "cubic", transfer: 0,
                                   start: .zero, completed: .seconds(2), end: .seconds(2), size: 400_000, bytesDelivered: 400_000,
                                   retransmissions: 3)]
        let run = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                            simulatedTime: .seconds(2), simulatorEvents: 1, series: series, tcpFlows: flows)
        try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        let html = try ReportGenerator.render(store: store, sweepID: sweep)
        #expect(XMLWellFormedness.check(html) == nil)
        #expect(html.contains("<section id=\"tcp-traffic\">"))
        // 400 kB in 2 s is 1.60 Mbit/s; the transfer completed after 2 s.
        #expect(html.contains("<td class=\"num\">1.60 Mbit/s</td><td class=\"num\">3</td><td class=\"num\">2000 ms</td>"))
        for axis in ["goodput (Mbit/s)", "cwnd (kB)", "SRTT (ms)", "segments"] { #expect(html.contains(">\(axis)</text>"), "\(axis)") }
    }
}
