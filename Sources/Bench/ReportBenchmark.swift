import Foundation
import Reporting
import Results

/// `icelab bench report`: time and size of the HTML report of a 10,000-run sweep
/// (`SyntheticSweep`, media series in every 100th run), generated from a database in a
/// temporary file. The database is built once; generation is timed best of
/// `repetitions`.
public enum ReportBenchmark {
    public struct Sizes: Sendable {
        public var runs = 10_000
        public var mediaEvery = 100
        public init() {}
        public static let tiny: Sizes = {
            var s = Sizes()
            s.runs = 90
            s.mediaEvery = 30
            return s
        }()
    }

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) throws -> BenchmarkReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-report-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ResultStore(path: directory.appendingPathComponent("runs.sqlite").path)
        let sweepID = try SyntheticSweep(runCount: sizes.runs, mediaEvery: sizes.mediaEvery).record(into: store)
        let output = directory.appendingPathComponent("report.html").path
        var failure: (any Error)?
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            do { try ReportGenerator.write(store: store, sweepID: sweepID, to: output) } catch { failure = error }
        }
        if let failure { throw failure }
        let bytes = try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int ?? 0
        var report = BenchmarkReport()
        report.add("report_10k_runs_s", seconds, label: "report of \(sizes.runs) runs, generated and written (s)")
        report.add("report_10k_runs_bytes", Double(bytes), label: "report of \(sizes.runs) runs, size (bytes)")
        return report
    }
}
