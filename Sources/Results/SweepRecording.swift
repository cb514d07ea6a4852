import Foundation
import Scenario

/// Runs a scenario's sweep into a results store: plans it (skipping runs the store
/// already has), executes the runs in parallel and records each in its own transaction.
/// What `icelab run` does, minus the terminal.
public enum SweepRecording {
    public struct Outcome {
        public var sweepID: Int64
        public var plan: SweepPlan
        public var wallSeconds: Double
    }

    /// Plans `file` against `store`; scenario problems throw `ScenarioError`.
    public static func plan(_ file: ScenarioFile, store: ResultStore, seed: UInt64? = nil,
                            shard: SweepPlan.Shard? = nil) throws -> SweepPlan {
        try SweepPlan(file: file, seedOverride: seed, shard: shard).skipping(try store.completedRuns(scenarioHash: file.contentHash))
    }

    /// Executes `plan` into `store` and returns the sweep's ID; `onResult` sees each run
    /// as it is recorded.
    public static func execute(_ plan: SweepPlan, file: ScenarioFile, store: ResultStore, version: String, jobs: Int,
                               options: ScenarioRunner.Options = .init(),
                               stop: @escaping @Sendable () -> Bool = { false },
                               onResult: (RunResult) -> Void = { _ in }) throws -> Outcome {
        let name = plan.runs.first?.scenario.name ?? file.path
        let sweepID = try store.startSweep(name: name, path: file.path, scenarioHash: file.contentHash, version: version,
                                           runCount: plan.runs.count, shard: plan.shard?.description)
        let start = ContinuousClock.now
        try SweepExecutor.execute(plan, jobs: jobs, run: { index, point, scenario in
            ScenarioRunner.run(index: index, point: point, scenario: scenario, options: options)
        }, stop: stop) { result in
            try store.record(result, sweepID: sweepID, scenarioHash: file.contentHash, version: version)
            onResult(result)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        try store.finishSweep(sweepID, wallSeconds: seconds)
        return Outcome(sweepID: sweepID, plan: plan, wallSeconds: seconds)
    }
}
