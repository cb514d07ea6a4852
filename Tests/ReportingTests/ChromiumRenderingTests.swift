import Foundation
import Results
import Testing
@testable import Reporting

/// The report in a real browser: headless Chromium takes a screenshot (which must not be
/// blank) and dumps the DOM after load. A copy of the report gets a probe script in front
/// of everything else that records script errors, `console.error` calls and every
/// resource the page loaded (Resource Timing) into attributes of `<html>`, which
/// `--dump-dom` prints; Chromium's own log (stderr) is scanned for console errors and
/// failed requests too. Shows as skipped when Chromium is not installed; each browser
/// run is killed after 60 s.
@Suite(.serialized, .enabled(if: HeadlessChromium.find() != nil, "chromium is not installed (apt-get install chromium; .ci/setup does)"))
struct ChromiumRenderingTests {
    static let probe = """
    <script>
    window.__probeErrors = [];
    window.addEventListener('error', function (e) { window.__probeErrors.push('error: ' + e.message); }, true);
    (function () { var original = console.error; console.error = function (m) { window.__probeErrors.push('console: ' + m); original.apply(console, arguments); }; })();
    window.addEventListener('load', function () {
      var resources = performance.getEntriesByType('resource').map(function (r) { return r.name; });
      document.documentElement.setAttribute('data-probe-errors', window.__probeErrors.join(' | '));
      document.documentElement.setAttribute('data-probe-resources', resources.join(' '));
      document.documentElement.setAttribute('data-probe-done', 'yes');
    });
    </script>
    """

    /// Runs a copy of `html` with `script` first in `<head>` through Chromium (a window
    /// `windowWidth` pixels wide): the DOM after load and the log.
    static func probe(_ html: String, in directory: URL, chromium: HeadlessChromium, script: String = probe,
                      windowWidth: Int = 1280) throws -> (dom: String, log: String) {
        let page = directory.appendingPathComponent("probed.html")
        try html.replacingOccurrences(of: "<head>", with: "<head>" + script).write(to: page, atomically: true, encoding: .utf8)
        let result = try chromium.run(["--window-size=\(windowWidth),1000", "--dump-dom", page.absoluteString],
                                      profile: directory.appendingPathComponent("profile-dom"))
        #expect(!result.timedOut, "chromium --dump-dom did not finish within 60 s")
        return (result.stdout, result.stderr)
    }

    static func attribute(_ name: String, in dom: String) -> String? {
        guard let range = dom.range(of: "\(name)=\"") else { return nil }
        return String(dom[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Console errors and failed requests Chromium logged.
    static func logProblems(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { line in
            (line.contains("CONSOLE") && (line.contains("ERROR") || line.contains("Uncaught"))) || line.contains("net::ERR_")
        }
    }

    /// Runs `body` with Chromium and a scratch folder.
    static func withChromium(_ body: (HeadlessChromium, URL) throws -> Void) throws {
        let chromium = try #require(HeadlessChromium.find())
        let directory = URL(fileURLWithPath: ReportFixture.temporaryPath("dir"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(chromium, directory)
    }

    /// Writes the report of `database` to `directory` and screenshots it in a window of
    /// `width`×`height`: the report, the PNG (which must have that size) and Chromium's run.
    static func screenshot(of database: (path: String, sweepID: Int64), width: Int, height: Int, chromium: HeadlessChromium,
                           in directory: URL) throws -> (report: URL, png: Data, run: HeadlessChromium.Result) {
        let report = directory.appendingPathComponent("report.html")
        try ReportGenerator.write(store: ResultStore(path: database.path), sweepID: database.sweepID, to: report.path)
        let screenshot = directory.appendingPathComponent("shot.png")
        let shot = try chromium.run(["--screenshot=\(screenshot.path)", "--window-size=\(width),\(height)", report.absoluteString],
                                    profile: directory.appendingPathComponent("profile-shot"))
        #expect(!shot.timedOut, "chromium --screenshot did not finish within 60 s")
        let png = try Data(contentsOf: screenshot)
        let info = try #require(PNGInfo(png))
        #expect(info.width == width && info.height == height)
        return (report, png, shot)
    }

    @Test func reportRendersWithoutErrorsOrRequests() throws {
        try Self.withChromium { chromium, directory in
            let database = try ReportFixture.database()
            defer { ReportFixture.remove(database.path) }
            let (report, png, shot) = try Self.screenshot(of: database, width: 1280, height: 2000, chromium: chromium, in: directory)
            // A blank 1280×2000 page compresses to a few kB; charts, text and colour do not.
            #expect(png.count > 40_000, "screenshot is \(png.count) bytes: blank?")
            #expect(Set(png.suffix(from: png.count / 2)).count > 200)
            #expect(Self.logProblems(shot.stderr).isEmpty, "\(Self.logProblems(shot.stderr))")

            let (dom, log) = try Self.probe(try String(contentsOf: report, encoding: .utf8), in: directory, chromium: chromium)
            #expect(Self.attribute("data-probe-done", in: dom) == "yes", "the page did not finish loading")
            #expect(Self.attribute("data-probe-errors", in: dom) == "")
            #expect(Self.attribute("data-probe-resources", in: dom) == "")
            #expect(Self.logProblems(log).isEmpty, "\(Self.logProblems(log))")
            // The sorting script ran: it makes headers focusable.
            #expect(dom.contains("<th scope=\"col\" class=\"text\" tabindex=\"0\""))
            #expect(dom.contains("<section id=\"matrix\">"))
        }
    }

    /// A report of a sweep of the nat-matrix's size (`NATMatrixFixture`) in a window 1,400
    /// pixels wide: no text renders below 11 px, none reaches outside its chart or
    /// overlaps another, no chart is shrunk and the page does not scroll sideways.
    @Test func fullSizeReportIsReadableAt1400Pixels() throws {
        try Self.withChromium { chromium, directory in
            let database = try NATMatrixFixture.database()
            defer { ReportFixture.remove(database.path) }
            let report = try Self.screenshot(of: database, width: 1400, height: 3000, chromium: chromium, in: directory).report

            let (dom, _) = try Self.probe(try String(contentsOf: report, encoding: .utf8), in: directory, chromium: chromium,
                                          script: ReadabilityProbe.script, windowWidth: 1400)
            #expect(Self.attribute("data-window-width", in: dom) == "1400")
            let minimum = try #require(Self.attribute("data-min-font", in: dom).flatMap(Double.init))
            #expect(minimum >= 11, "smallest text renders at \(minimum) px")
            #expect(Self.attribute("data-clipped", in: dom) == "")
            #expect(Self.attribute("data-overlaps", in: dom) == "")
            #expect(Self.attribute("data-shrunk", in: dom) == "0")
            let pageWidth = try #require(Self.attribute("data-page-width", in: dom).flatMap(Int.init))
            #expect(pageWidth <= 1400)
        }
    }

    @Test func theProbeSeesErrorsAndExternalRequests() throws {
        try Self.withChromium { chromium, directory in
            let bad = "<!DOCTYPE html><html><head><title>x</title></head><body><img src=\"https://example.invalid/x.png\" alt=\"\"/>"
                + "<script>console.error('boom'); undefinedFunction();</script></body></html>"
            let (dom, log) = try Self.probe(bad, in: directory, chromium: chromium)
            let errors = Self.attribute("data-probe-errors", in: dom) ?? ""
            #expect(errors.contains("console: boom") && errors.contains("undefinedFunction"))
            let requested = (Self.attribute("data-probe-resources", in: dom) ?? "").contains("example.invalid")
            #expect(requested || Self.logProblems(log).contains { $0.contains("net::ERR_") }, "the external image went unnoticed")
        }
    }
}
