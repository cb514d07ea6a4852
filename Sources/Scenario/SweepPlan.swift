/// Which runs of a sweep this invocation executes: a shard's slice, minus runs already
/// in the results database.
public struct SweepPlan: Sendable {
    /// A deterministic slice of a sweep: run indices `i` with `i % count == index`.
    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public var index: Int
        public var count: Int

        /// Parses `I/N` (0-based I, 0 ≤ I < N).
        public init?(parsing text: String) {
            let parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] >= 1, parts[0] >= 0, parts[0] < parts[1] else { return nil }
            index = parts[0]
            count = parts[1]
        }

        public func contains(_ run: Int) -> Bool { run % count == index }
        public var description: String { "\(index)/\(count)" }
    }

    /// Every run of the sweep with its decoded scenario.
    public let runs: [(point: SweepPoint, scenario: Scenario)]
    /// The slice this invocation runs, if any.
    public let shard: Shard?
    /// Indices to execute, ascending.
    public let pending: [Int]
    /// Runs skipped because the database already has them.
    public let alreadyDone: Int

    /// Plans `file`: validates every point, applies a seed override, keeps the shard's
    /// slice and drops runs whose keys are in `completed`.
    public init(file: ScenarioFile, seedOverride: UInt64? = nil, shard: Shard? = nil,
                completed: Set<RunKey> = []) throws(ScenarioError) {
        var runs = try file.validateAll()
        if let seedOverride {
            for index in runs.indices { runs[index].scenario.seed = seedOverride }
        }
        self.init(runs: runs, shard: shard, completed: completed)
    }

    private init(runs: [(point: SweepPoint, scenario: Scenario)], shard: Shard?, completed: Set<RunKey>) {
        self.runs = runs
        self.shard = shard
        var pending: [Int] = []
        var done = 0
        for index in runs.indices where shard?.contains(index) ?? true {
            let key = RunKey(parameters: runs[index].point.key, seed: runs[index].scenario.seed)
            if completed.contains(key) { done += 1 } else { pending.append(index) }
        }
        self.pending = pending
        alreadyDone = done
    }

    /// The same plan without the runs whose keys are in `completed` (a database's),
    /// without decoding the scenarios again.
    public func skipping(_ completed: Set<RunKey>) -> SweepPlan {
        SweepPlan(runs: runs, shard: shard, completed: completed)
    }
}
