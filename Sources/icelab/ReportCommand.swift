import ArgumentParser
import Foundation
import Reporting
import Results

/// `icelab report`: a sweep's HTML report, one self-contained file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a sweep's results as one self-contained HTML file (default Reports/<scenario>.html).")

    @Option(help: "The results database.")
    var db = "results.sqlite"

    @Option(help: "The sweep to report (default: the newest).")
    var sweep: Int64?

    @Option(help: "Where to write the report (default: Reports/<scenario-name>.html).")
    var out: String?

    @Option(help: "A results database of the same scenario to compare with (its newest sweep).")
    var baseline: String?

    func validate() throws {
        if let out, !out.hasSuffix(".html") { throw ValidationError("--out must name an .html file") }
    }

    func run() throws {
        let path: String
        do {
            for file in [db] + (baseline.map { [$0] } ?? []) where !FileManager.default.fileExists(atPath: file) {
                throw UsageError("no results database at \(file)")
            }
            let store = try ResultStore(path: db)
            path = try ReportGenerator.write(store: store, sweepID: sweep, baseline: try baseline.map { try ResultStore(path: $0) }, to: out)
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("\(error)")
        }
        log("report: wrote \(path)")
        print(path)
    }
}
