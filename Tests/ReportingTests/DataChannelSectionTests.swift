import Foundation
import NetTypes
import Records
import Results
import Testing
@testable import Reporting

/// The data channel section: a row per run and channel, and charts per channel.
@Suite struct DataChannelSectionTests {
    @Test func summaryAndChartsPerChannel() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "data", path: "data.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        let series = (1...20).flatMap { i -> [SeriesSample] in
            let time = Duration.milliseconds(Int64(i) * 100)
            return [SeriesSample(session: "call/file", name: DataChannelSeries.goodput, time: time, value: 2_000_000),
                    SeriesSample(session: "call/file", name: DataChannelSeries.bufferedAmount, time: time, value: 300_000),
                    SeriesSample(session: "call/file", name: DataChannelSeries.congestionWindow, time: time, value: 60_000)]
        }
        let channels = [DataChannelResult(session: "call", label: "file", kind: "file", direction: "offerer-to-answerer", ordered: true,
                                          reliability: "reliable", openTime: .milliseconds(450), bytesSent: 500_000, bytesDelivered: 500_000,
                                          completedTime: .milliseconds(2450), goodput: 2_000_000, latencyP50: 95, latencyP95: 180,
                                          latencyP99: 200, messagesSent: 8, messagesDelivered: 8, messagesAbandoned: 0,
                                          messagesOutOfOrder: 0, retransmissions: 4)]
        let run = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                            simulatedTime: .seconds(3), simulatorEvents: 1, series: series, dataChannels: channels)
        try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        let html = try ReportGenerator.render(store: store, sweepID: sweep)
        #expect(XMLWellFormedness.check(html) == nil)
        #expect(html.contains("<section id=\"data-channels\">"))
        #expect(html.contains("call/file") && html.contains("file, ordered, reliable"))
        // Opened after 450 ms, complete after 2450 ms at 2 Mbit/s; median and p95 latency.
        #expect(html.contains("<td class=\"num\">450 ms</td><td class=\"num\">0.50 MB</td><td class=\"num\">2450 ms</td><td class=\"num\">2.00 Mbit/s</td>"
                              + "<td class=\"num\">95 ms</td><td class=\"num\">180 ms</td>"), "\(html)")
        for axis in ["goodput (Mbit/s)", "buffered (kB)", "cwnd (kB)"] { #expect(html.contains(">\(axis)</text>"), "\(axis)") }
    }

    @Test func noChannelsNoSection() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "x", path: "x.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        try store.record(RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                                   simulatedTime: .seconds(1), simulatorEvents: 1), sweepID: sweep, scenarioHash: "h", version: "0")
        #expect(try !ReportGenerator.render(store: store, sweepID: sweep).contains("data-channels"))
    }
}
