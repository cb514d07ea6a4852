import Foundation
import NetTypes
import Records
import Results
import Testing
@testable import Reporting

/// The video quality section: a row per sweep point and flow with recovery series.
@Suite struct VideoQualitySectionTests {
    @Test func totalsPerFlow() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "video", path: "video.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        typealias Name = FlowSeries.Name
        var series: [SeriesSample] = []
        for i in 1...10 {
            let time = Duration.milliseconds(Int64(i) * 100)
            let counts = [(Name.residualLoss, 0.001 * Double(i)), (Name.nackCount, Double(i)), (Name.rtxPackets, 2 * Double(i)),
                          (Name.pliCount, 0), (Name.framesRendered, 3 * Double(i)), (Name.framesDropped, 0),
                          (Name.freezeCount, i >= 5 ? 1 : 0), (Name.freezeTotal, i >= 5 ? 250 : 0), (Name.fecRecovered, 4 * Double(i))]
            series += counts.map { SeriesSample(session: "call/0", name: $0.0, time: time, value: $0.1) }
            series.append(SeriesSample(session: "call/0", name: Name.frameDelay, time: time, value: 60 + Double(i)))
        }
        series.append(SeriesSample(session: "call/0", name: Name.timeToFirstFrame, time: .milliseconds(200), value: 180))
        let run = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                            simulatedTime: .seconds(1), simulatorEvents: 1, series: series)
        try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        let html = try ReportGenerator.render(store: store, sweepID: sweep)
        #expect(XMLWellFormedness.check(html) == nil)
        #expect(html.contains("<section id=\"video-quality\">"))
        // Residual loss 1.0 %, 10 NACKs, 20 RTX, 40 rebuilt by FEC, 0 PLIs, 30 frames, 0
        // dropped, 1 freeze of 250 ms, first frame after 180 ms, frame delay p95 69.55 ms
        // (interpolated).
        let cells = ["1.0%", "10.0", "20.0", "40.0", "0.0", "30.0", "0.0", "1.0", "250 ms", "180 ms", "70 ms"]
        #expect(html.contains(cells.map { "<td class=\"num\">\($0)</td>" }.joined()))
    }

    /// A flow without FlexFEC shows no FEC figure rather than zero.
    @Test func flowsWithoutFECShowNone() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "video", path: "video.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        let series = [FlowSeries.Name.residualLoss, FlowSeries.Name.rtxPackets, FlowSeries.Name.framesRendered].map {
            SeriesSample(session: "call/0", name: $0, time: .milliseconds(100), value: 5)
        }
        let run = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0,
                            simulatedTime: .seconds(1), simulatorEvents: 1, series: series)
        try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        let html = try ReportGenerator.render(store: store, sweepID: sweep)
        // RTX packets 5, then the FEC column empty.
        #expect(html.contains("<td class=\"num\">5.0</td><td class=\"num\">\(ReportFormat.none)</td>"))
    }
}
