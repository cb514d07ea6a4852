import Results

/// Which runs get a per-run timeline: failed and error runs (the first
/// `maximumFailures`) and a few passing runs spread evenly over the sweep, so that a
/// report over thousands of runs stays small.
public struct TimelineSelection: Sendable {
    public static let maximumFailures = 50
    public static let passingSamples = 3

    /// Runs with a timeline, in run order.
    public let runs: [StoredRunSummary]
    /// Failed or error runs without a timeline (beyond `maximumFailures`).
    public let omittedFailures: Int

    public init(runs all: [StoredRunSummary]) {
        let failures = all.filter { $0.outcome != "passed" }
        let passing = all.filter { $0.outcome == "passed" }
        let samples = passing.isEmpty ? [] : (0..<min(Self.passingSamples, passing.count)).map { index in
            passing[index * passing.count / min(Self.passingSamples, passing.count)]
        }
        let chosen = Set((failures.prefix(Self.maximumFailures) + samples).map(\.id))
        runs = all.filter { chosen.contains($0.id) }
        omittedFailures = max(0, failures.count - Self.maximumFailures)
    }

    /// The anchor of run `id`'s timeline.
    public static func anchor(_ id: Int64) -> String { "run-\(id)" }
}
