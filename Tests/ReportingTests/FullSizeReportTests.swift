import Foundation
import Results
import Testing
@testable import Reporting

/// The report of a sweep the size of `Scenarios/nat-matrix.yaml` (`NATMatrixFixture`:
/// 17 × 17 NAT kinds, with and without TURN, 2,312 runs): every label written in full and
/// inside its chart, no text below the minimum font size, every group drawn, split cells
/// not called dominant, and the same bytes twice.
@Suite struct FullSizeReportTests {
    static let report = Result { () throws -> String in
        let (path, sweepID) = try NATMatrixFixture.database()
        defer { ReportFixture.remove(path) }
        return try ReportGenerator.render(store: ResultStore(path: path), sweepID: sweepID)
    }

    @Test func everyLabelIsWrittenInFullInsideItsChart() throws {
        let html = try Self.report.get()
        #expect(XMLWellFormedness.check(html) == nil)
        let charts = SVGText.charts(in: html)
        #expect(charts.count > 30)
        for chart in charts {
            for text in chart.texts where text.transform == nil {
                #expect(text.left >= -0.5 && text.right <= chart.width + 0.5,
                        "'\(text.content)' spans \(text.left)...\(text.right) in a chart \(chart.width) wide")
            }
        }
        let labels = charts.flatMap { $0.texts.map(\.content) }
        for kind in NATMatrixFixture.kinds {
            let short = ValueLabel.short(kind)
            // Twice as row and column label of each of the two heat maps, once as a bar.
            #expect(labels.count { $0 == short } >= 5, "\(short)")
            #expect(labels.contains { $0.hasPrefix(short + " (") }, "no small chart for \(short)")
        }
        #expect(!labels.contains { $0.contains("…") })
    }

    @Test func noTextIsSmallerThanTheMinimumFontSize() throws {
        let html = try Self.report.get()
        let sizes = html.matches(of: /font-size: (\d+(?:\.\d+)?)px/).map { Double($0.1)! }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= TextMetrics.tickSize }, "\(sizes)")
        #expect(html.contains("svg.chart { display: block; max-width: none;"))
        let classes = Set(html.matches(of: /<text [^>]*class="([^"]*)"/).map { String($0.1) })
        #expect(classes.isSubset(of: ["label", "label strong", "tick", "cell", "cell strong"]), "\(classes)")
        #expect(!html.contains("<text font-size") && !html.contains(" style=\""))
    }

    @Test func connectTimeChartsDrawEveryGroup() throws {
        let html = try Self.report.get()
        for parameter in ["a-nat", "b-nat"] {
            #expect(html.components(separatedBy: "aria-label=\"Connect time by \(parameter): ").count - 1 == NATMatrixFixture.kinds.count)
        }
        #expect(!html.contains("Showing "))
    }

    @Test func splitCellsAreNotCalledDominant() throws {
        let html = try Self.report.get()
        #expect(!html.contains("dominant"))
        // Full cone against symmetric: two sessions each way through a peer-reflexive candidate.
        #expect(html.contains("<title>preset=full-cone × preset=symmetric: 100.0% connected (4/4), relayed 0.0%, "
            + "split: prflx→srflx/udp 2, srflx→prflx/udp 2</title>"))
        #expect(html.contains(">split</text>"))
        #expect(html.contains("<title>preset=symmetric × preset=symmetric: 100.0% connected (4/4), relayed 100.0%, mostly relay→srflx/udp</title>"))
    }

    @Test func theSameDatabaseGivesTheSameBytes() throws {
        let (path, sweepID) = try NATMatrixFixture.database()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        #expect(try ReportGenerator.render(store: store, sweepID: sweepID) == ReportGenerator.render(store: store, sweepID: sweepID))
    }
}

/// The `<text>` elements of a report's charts with their extent estimated by
/// `TextMetrics`, to check without a browser that no label runs out of its chart.
struct SVGText {
    var content: String
    var left: Double
    var right: Double
    var transform: String?

    struct Chart {
        var width: Double
        var texts: [SVGText]
    }

    static func charts(in html: String) -> [Chart] {
        html.matches(of: /<svg class="chart" viewBox="0 0 ([\d.]+) [\d.]+"(.*?)<\/svg>/.dotMatchesNewlines()).map { match in
            let texts = String(match.2).matches(of: /<text x="(-?[\d.]+)" y="[^"]*" text-anchor="(\w+)" class="([^"]*)"([^>]*)>([^<]*)<\/text>/).map { t in
                let content = String(t.5).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&amp;", with: "&")
                let className = String(t.3)
                let width = TextMetrics.width(content, fontSize: className.hasPrefix("label") ? TextMetrics.labelSize : TextMetrics.tickSize,
                                              bold: className.hasSuffix("strong"))
                let x = Double(t.1)!
                let left = t.2 == "start" ? x : t.2 == "middle" ? x - width / 2 : x - width
                let transform = String(t.4).firstMatch(of: /transform="([^"]*)"/).map { String($0.1) }
                return SVGText(content: content, left: left, right: left + width, transform: transform)
            }
            return Chart(width: Double(match.1)!, texts: texts)
        }
    }
}
