import Foundation
import Results
import Testing
@testable import Reporting

@Suite struct ReportGeneratorTests {
    static func render(baseline: String? = nil) throws -> (html: String, store: ResultStore) {
        let (path, sweepID) = try ReportFixture.database()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let html = try ReportGenerator.render(store: store, sweepID: sweepID, baseline: try baseline.map { try ResultStore(path: $0) })
        return (html, store)
    }

    @Test func reportIsWellFormedSelfContainedAndHasEverySection() throws {
        let html = try Self.render().html
        #expect(XMLWellFormedness.check(html) == nil, "\(XMLWellFormedness.check(html) ?? "")")
        for external in ["http://", "https://", "src=\"//", "href=\"//", "url(", "@import"] {
            #expect(!html.contains(external), "\(external)")
        }
        let references = html.matches(of: /(?:href|src)="([^"]*)"/).map { String($0.1) }
        #expect(references.allSatisfy { $0.hasPrefix("#") }, "\(references.filter { !$0.hasPrefix("#") })")
        // Every anchor link has its target.
        for reference in Set(references) {
            #expect(html.contains("id=\"\(reference.dropFirst())\""), "\(reference)")
        }
        for section in ["overview", "matrix", "connect-time", "pair-types", "failures", "congestion", "timelines"] {
            #expect(html.contains("<section id=\"\(section)\">"), "\(section)")
        }
        #expect(!html.contains("id=\"comparison\""))
        #expect(html.contains("<style>") && html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
    }

    @Test func overviewCountsRunsSeedsAndFailures() throws {
        let html = try Self.render().html
        #expect(html.contains("<p class=\"verdict fail\">2 of 36 runs failed.</p>"))
        #expect(html.contains("<dt>seeds</dt><dd>4 seeds (1…4)</dd>"))
        #expect(html.contains("<dt>expectations</dt><dd>34 passed, 2 failed</dd>"))
        #expect(html.contains("<dt>scenario</dt><dd>synthetic-nat-matrix (Scenarios/synthetic-nat-matrix.yaml)</dd>"))
    }

    @Test func matrixCellsShowRateCountAndDominantPair() throws {
        let html = try Self.render().html
        #expect(html.contains("Rows: offerer.mapping; columns: answerer.mapping."))
        let apd = "address-and-port-dependent", eim = "endpoint-independent"
        #expect(html.contains("<title>\(apd) × \(apd): 50.0% connected (2/4), relayed 100.0%, mostly relay→srflx/udp</title>"))
        #expect(html.contains("<title>\(eim) × \(eim): 100.0% connected (4/4), relayed 0.0%, mostly srflx→srflx/udp</title>"))
        #expect(html.contains("<title>\(eim) × address-dependent: 100.0% connected (4/4), relayed 0.0%, mostly srflx→prflx/udp</title>"))
        #expect(html.contains("<title>\(eim) × \(apd): 100.0% connected (4/4), relayed 100.0%, mostly relay→srflx/udp</title>"))
        // The half-connected cell is coloured at the middle of the ramp, with white text.
        #expect(html.contains("fill=\"\(ChartPalette.heat(0.5))\"><title>\(apd) × \(apd)"))
    }

    @Test func connectTimesArePerPathWithPercentiles() throws {
        let html = try Self.render().html
        // Direct: 16 sessions, four each of 155, 160, 165 and 170 ms: median 162.5 (printed
        // rounding half to even), p95 and maximum 170.
        let row = html.firstMatch(of: /<td>path<\/td><td>direct<\/td><td class="num">16<\/td><td class="num">16<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td>/)
        #expect(row?.1 == "162 ms" && row?.2 == "170 ms" && row?.3 == "170 ms")
        #expect(html.contains("<td>path</td><td>relayed</td><td class=\"num\">18</td><td class=\"num\">18</td>"))
        #expect(html.contains(">Connect time by path (empirical CDF)</figcaption>"))
    }

    @Test func failuresLinkToTimelines() throws {
        let (html, _) = try Self.render()
        let failures = html.matches(of: /<td><a href="#(run-\d+)">#(\d+)<\/a><\/td>/).map { (String($0.1), Int($0.2)!) }
        // Both sides address-and-port-dependent (point 8) fail with odd seeds: runs 8 and 26.
        #expect(failures.map(\.1) == [8, 26])
        for (anchor, _) in failures { #expect(html.contains("<article class=\"timeline\" id=\"\(anchor)\">")) }
        #expect(html.contains("<td>call connected-within 2s</td><td>not connected after 30s</td>"))
        // Two failures and three passing samples get a timeline.
        #expect(html.components(separatedBy: "<article class=\"timeline\"").count == 6)
    }

    @Test func congestionSummaryAndCharts() throws {
        let html = try Self.render().html
        #expect(html.contains(">bitrate (Mbit/s)</text>") && html.contains(">queuing delay (ms)</text>") && html.contains(">loss (%)</text>"))
        #expect(html.contains("<td class=\"num\">2.50 Mbit/s</td>"))
        #expect(html.contains(">capacity_bps</text>"))
    }

    @Test func comparisonHighlightsRegressions() throws {
        let baseline = try ReportFixture.perfectBaseline()
        defer { ReportFixture.remove(baseline) }
        let html = try Self.render(baseline: baseline).html
        #expect(XMLWellFormedness.check(html) == nil)
        #expect(html.contains("<section id=\"comparison\">"))
        #expect(html.contains("group(s) regressed against the baseline."))
        // Over all runs: 36/36 → 34/36 connected is -5.6 pp.
        #expect(html.contains("<td>all runs</td><td class=\"num\">100.0%</td><td class=\"num\">94.4%</td><td class=\"num regressed\">-5.6 pp</td>"))
    }

    @Test func writeCreatesTheReportsFolderAndNamesTheFileAfterTheScenario() throws {
        let (path, _) = try ReportFixture.database()
        defer { ReportFixture.remove(path) }
        let directory = ReportFixture.temporaryPath("dir")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/nested/report.html"
        #expect(try ReportGenerator.write(store: ResultStore(path: path), to: target) == target)
        #expect(FileManager.default.fileExists(atPath: target))
        #expect(ReportGenerator.defaultPath(scenarioName: "nat matrix/v2") == "Reports/nat-matrix-v2.html")
    }

    @Test func emptyDatabaseIsAClearError() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        #expect(throws: ReportError.self) { try ReportGenerator.render(store: ResultStore(path: path)) }
        #expect(throws: ReportError.self) { try ReportGenerator.render(store: ResultStore(path: path), sweepID: 7) }
    }
}
