import Records

/// Which runs of a sweep this invocation executes: a shard's slice, minus runs already
/// in the results database. Runs are decoded when they start, not when planned, so a
/// plan costs a few bytes per run however large each scenario is.
public struct SweepPlan: Sendable {
    /// A deterministic slice of a sweep: run indices `i` with `i % count == index`.
    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public var index: Int
        public var count: Int

        /// Slice `index` of `count`; nil unless 0 ≤ index < count.
        public init?(index: Int, count: Int) {
            guard count >= 1, index >= 0, index < count else { return nil }
            self.index = index
            self.count = count
        }

        /// Parses `I/N` (0-based I, 0 ≤ I < N).
        public init?(parsing text: String) {
            let parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2 else { return nil }
            self.init(index: parts[0], count: parts[1])
        }

        public func contains(_ run: Int) -> Bool { run % count == index }
        public var description: String { "\(index)/\(count)" }
    }

    /// The scenario file whose sweep is planned.
    public let file: ScenarioFile
    /// The seed every run uses instead of the file's (`--seed`).
    public let seedOverride: UInt64?
    /// The slice this invocation runs, if any.
    public let shard: Shard?
    /// Indices to execute, ascending.
    public let pending: [Int]
    /// Runs skipped because the database already has them.
    public let alreadyDone: Int

    /// Plans `file`: validates every point, applies a seed override, keeps the shard's
    /// slice and drops runs whose keys are in `completed`.
    ///
    /// A seed override replaces the seed of every run, so it cannot be combined with a
    /// sweep over `seed`: the runs would be one simulation recorded under different seeds.
    public init(file: ScenarioFile, seedOverride: UInt64? = nil, shard: Shard? = nil,
                completed: Set<RunKey> = []) throws(ScenarioError) {
        if seedOverride != nil, let axis = file.sweep.seedAxis {
            throw ScenarioError(file.sweep.axes[axis].location,
                                "the sweep varies 'seed', so --seed cannot replace it: drop --seed or this axis")
        }
        try file.validate()
        try self.init(file: file, seedOverride: seedOverride, shard: shard, validatedSkipping: completed)
    }

    private init(file: ScenarioFile, seedOverride: UInt64?, shard: Shard?, validatedSkipping completed: Set<RunKey>) throws(ScenarioError) {
        self.file = file
        self.seedOverride = seedOverride
        self.shard = shard
        let slice = (0..<file.runCount).filter { shard?.contains($0) ?? true }
        if completed.isEmpty {
            pending = slice
            alreadyDone = 0
            return
        }
        var pending: [Int] = []
        for index in slice where !completed.contains(try SweepPlan.key(of: index, in: file, seedOverride: seedOverride)) {
            pending.append(index)
        }
        self.pending = pending
        alreadyDone = slice.count - pending.count
    }

    /// Number of runs of the whole sweep (every shard).
    public var runCount: Int { file.runCount }

    /// The results-database identity of run `index`.
    public func key(of index: Int) throws(ScenarioError) -> RunKey {
        try SweepPlan.key(of: index, in: file, seedOverride: seedOverride)
    }

    private static func key(of index: Int, in file: ScenarioFile, seedOverride: UInt64?) throws(ScenarioError) -> RunKey {
        let seed = if let seedOverride { seedOverride } else { try file.seed(at: index) }
        return RunKey(parameters: file.sweep.assignments(index).key, seed: seed)
    }

    /// Run `index` decoded, with the seed override applied.
    public func run(_ index: Int) throws(ScenarioError) -> (point: SweepPoint, scenario: Scenario) {
        var run = try file.scenario(at: index)
        if let seedOverride { run.scenario.seed = seedOverride }
        return run
    }

    /// The same plan without the runs whose keys are in `completed` (a database's),
    /// without validating the scenario again.
    public func skipping(_ completed: Set<RunKey>) throws(ScenarioError) -> SweepPlan {
        try SweepPlan(file: file, seedOverride: seedOverride, shard: shard, validatedSkipping: completed)
    }
}
