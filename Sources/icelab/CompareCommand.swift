import ArgumentParser
import Foundation
import Reporting
import Results

/// `icelab compare`: the regression gate — per-test metrics of a candidate results
/// database against a baseline (a database or a committed baseline JSON file).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a candidate's metrics with a baseline; exit 1 on a regression (docs/compare.md).")

    @Option(help: "Baseline: a results database or a baseline JSON file (Reports/baselines/*.json).")
    var baseline: String?

    @Option(help: "Candidate results database (or baseline JSON file).")
    var candidate: String

    @Option(help: "Write JUnit XML here (a test case per scenario × metric).")
    var junit: String?

    @Option(help: "JSON file of per-metric tolerance overrides: {\"metric\": {\"absolute\": X, \"relative\": Y}}.")
    var tolerances: String?

    @Option(help: "Write the candidate's metrics as a baseline JSON file instead of comparing.")
    var writeBaseline: String?

    @Flag(help: "Compare two databases of the same scenario run on different backends (simulator, netns) session by session; exit 1 when a cell's outcome differs.")
    var cells = false

    func validate() throws {
        if cells && (baseline == nil || writeBaseline != nil || tolerances != nil || junit != nil) {
            throw ValidationError("--cells compares --baseline DB with --candidate DB (no --write-baseline, --tolerances or --junit)")
        }
        guard (baseline == nil) != (writeBaseline == nil) else {
            throw ValidationError("give either --baseline FILE (compare) or --write-baseline OUT.json (record a baseline)")
        }
    }

    func run() throws {
        if cells { return try compareCells() }
        let comparison: Comparison
        do {
            let candidateMetrics = try RegressionMetrics(contentsOf: candidate)
            if let writeBaseline {
                try candidateMetrics.baselineJSON().write(to: URL(fileURLWithPath: writeBaseline))
                print("compare: baseline of \(candidateMetrics.scenarios.count) scenario(s) written to \(writeBaseline)")
                return
            }
            let limits = try tolerances.map { path in try Tolerances(overridesAt: path) } ?? .defaults
            comparison = Comparison(baseline: try RegressionMetrics(contentsOf: baseline ?? ""), candidate: candidateMetrics, tolerances: limits)
            if let junit { try Data(comparison.junit.utf8).write(to: URL(fileURLWithPath: junit)) }
        } catch {
            throw UsageError("\(error)")
        }
        print(comparison.table)
        if comparison.hasRegression { throw ExitCode(1) }
    }

    /// `--cells`: the two databases' sessions side by side (`BackendAgreement`).
    private func compareCells() throws {
        let first = baseline ?? ""
        for path in [first, candidate] where !FileManager.default.fileExists(atPath: path) {
            throw UsageError("\(path): no such results database")
        }
        let agreement: BackendAgreement
        do {
            agreement = BackendAgreement(first: try ResultStore(path: first).sessionCells(),
                                         second: try ResultStore(path: candidate).sessionCells())
        } catch {
            throw UsageError("\(error)")
        }
        guard !agreement.cells.isEmpty else {
            throw UsageError("\(first) and \(candidate) share no session (run the same scenario file into each)")
        }
        print(agreement.table)
        if !agreement.disagreeing.isEmpty { throw ExitCode(1) }
    }
}
