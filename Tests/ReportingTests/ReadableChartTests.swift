import Foundation
@testable import Results
import Testing
@testable import Reporting

/// Charts at full size: text measured and wrapped instead of cut, heat-map cells as wide
/// as their text, pair types called dominant only with a majority, and notes where a
/// chart leaves something out.
@Suite struct ReadableChartTests {
    static func session(_ pair: (String, String)?, milliseconds: Double = 100) -> StoredSession {
        StoredSession(runID: 1, name: "call", connected: pair != nil, connectedMilliseconds: pair == nil ? nil : milliseconds, nominatedMilliseconds: nil,
                      localType: pair?.0, remoteType: pair?.1, transport: pair == nil ? nil : "udp", relayUsed: pair?.0 == "relay")
    }

    @Test func textIsMeasuredWithDejaVuWidthsAndWrappedAtBreakCharacters() {
        #expect(abs(TextMetrics.width("100.0%", fontSize: 11) - 41.9) < 0.1)
        #expect(TextMetrics.width("→", fontSize: 10) == 10)
        #expect(TextMetrics.width("ab", fontSize: 12, bold: true) > TextMetrics.width("ab", fontSize: 12))
        #expect(TextMetrics.wrap("relay→srflx/udp", width: 56, fontSize: 11) == ["relay→", "srflx/udp"])
        #expect(TextMetrics.wrap("none connected", width: 200, fontSize: 11) == ["none connected"])
        #expect(TextMetrics.wrap("none connected", width: 40, fontSize: 11) == ["none", "connected"])
        let narrowest = TextMetrics.narrowestWidth("relay→srflx/udp", lines: 2, fontSize: 11)
        #expect(abs(narrowest - TextMetrics.width("srflx/udp", fontSize: 11)) < 0.2)
    }

    @Test func heatMapCellsAreAsWideAsTheirTextAndLongColumnLabelsTurn() throws {
        let labels = NATMatrixFixture.kinds.map(ValueLabel.short)
        let cell = HeatMap.Cell(fraction: 0.5, lines: ["100.0%", "136/136", "relay→srflx/udp"], tooltip: "t")
        let map = HeatMap(title: "t", rowTitle: "a-nat", columnTitle: "b-nat", rowLabels: labels, columnLabels: labels,
                          cells: Array(repeating: Array(repeating: cell, count: labels.count), count: labels.count), scaleTitle: "success rate (%)")
        var svg = ""
        HTMLRenderer.write(map.render(), into: &svg)
        let chart = try #require(SVGText.charts(in: svg).first)
        // 17 columns of at least 64 px: wider than the text column, narrower than a 1,400 px window.
        #expect(chart.width > ReportStyle.columnWidth && chart.width < 1350)
        #expect(chart.texts.filter { $0.content == "relay→" }.count == labels.count * labels.count)
        #expect(chart.texts.filter { $0.transform?.contains("rotate(-45)") ?? false }.count == labels.count)
        for text in chart.texts where text.transform == nil { #expect(text.left >= 0 && text.right <= chart.width) }
    }

    @Test func barLabelsGetTheRoomTheyNeed() throws {
        let long = "mapping=address-and-port-dependent,filtering=address-dependent"
        let chart = StackedBarChart(title: "t", xTitle: "share (%)", categories: ["all sessions", long], segments: ["a", "b"],
                                    counts: [[3, 1], [10_000, 1]])
        var svg = ""
        HTMLRenderer.write(chart.render(), into: &svg)
        let parsed = try #require(SVGText.charts(in: svg).first)
        #expect(parsed.width > 640)
        for text in parsed.texts { #expect(text.left >= 0 && text.right <= parsed.width, "\(text.content)") }
        #expect(parsed.texts.contains { $0.content == long } && parsed.texts.contains { $0.content == "n=10001" })
    }

    @Test func aPairTypeIsDominantOnlyWithAStrictMajority() {
        let relay = ("relay", "srflx"), direct = ("srflx", "srflx")
        #expect(PairType.dominant(in: [Self.session(relay), Self.session(relay), Self.session(direct), Self.session(direct)]) == nil)
        #expect(PairType.dominant(in: [Self.session(relay), Self.session(relay), Self.session(direct), Self.session(nil)]) == "relay→srflx/udp")
        #expect(PairType.dominant(in: [Self.session(nil)]) == nil)
        let cell = MatrixSection.cell([Self.session(relay), Self.session(direct)], row: "r", column: "c")
        #expect(cell.lines == ["100.0%", "2/2", "split"])
        #expect(cell.tooltip == "r × c: 100.0% connected (2/2), relayed 50.0%, split: relay→srflx/udp 1, srflx→srflx/udp 1")
        #expect(MatrixSection.cell([Self.session(nil)], row: "r", column: "c").lines.last == "none connected")
    }

    @Test func smallMultiplesSayWhichGroupsTheyLeaveOut() {
        let groups = (0..<50).map { index in
            (key: "value-\(index)", sessions: Array(repeating: Self.session(("srflx", "srflx"), milliseconds: Double(100 + index)), count: index < 2 ? 1 : 2))
        }
        var content: [HTMLNode] = [], rows: [[ReportBlocks.Cell]] = []
        ConnectTimeSection.add(groups, title: "Connect time by x", grouping: "x", content: &content, rows: &rows)
        var html = ""
        for node in content { HTMLRenderer.write(node, into: &html) }
        #expect(rows.count == 50)
        #expect(html.components(separatedBy: "aria-label=\"Connect time by x: ").count - 1 == ConnectTimeSection.maximumPanels)
        #expect(html.contains("Showing 48 of 50 groups: the 48 with most sessions; all are in the table below."))
        #expect(!html.contains(">value-0 (1 of 1)</text>") && html.contains(">value-2 (2 of 2)</text>"))
    }

    @Test func congestionChartsSayHowManyRunsTheyShow() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweepID = try SyntheticSweep(runCount: 36, mediaEvery: 5).record(into: store)
        let html = try ReportGenerator.render(store: store, sweepID: sweepID)
        #expect(html.contains("Charts over time for 4 of the 8 runs with media series (runs with a timeline first); the table covers every run."))
    }
}
