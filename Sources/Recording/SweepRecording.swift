import Foundation
import NetTypes
import Records
import Results
import Scenario

/// Runs a scenario's sweep into a results store: plans it (skipping runs the store
/// already has), executes the runs in parallel and records each in its own transaction.
/// What `icelab run` does, minus the terminal; it lives above both `Scenario` and
/// `Results` so that neither imports the other (docs/architecture.md).
public enum SweepRecording {
    public struct Outcome {
        public var sweepID: Int64
        public var plan: SweepPlan
        public var wallSeconds: Double
        /// Runs recorded by this execution.
        public var recorded: Int
        /// Runs another writer recorded first while this one ran them (not recorded twice).
        public var recordedElsewhere: Int
        /// Whether every pending run was recorded (here or elsewhere); false when stopped
        /// early, and then the sweep's `finished_at` stays NULL.
        public var finished: Bool
    }

    /// Plans `file` against `store`; scenario problems throw `ScenarioError`.
    public static func plan(_ file: ScenarioFile, store: ResultStore, seed: UInt64? = nil,
                            shard: SweepPlan.Shard? = nil) throws -> SweepPlan {
        try SweepPlan(file: file, seedOverride: seed, shard: shard).skipping(try store.completedRuns(scenarioHash: file.contentHash))
    }

    /// Executes `plan` into `store` and returns the sweep's ID; `onResult` sees each run
    /// as this execution records it. `backend` names where the runs happen (recorded with
    /// the sweep) and `runner` carries out one run: the simulator unless given.
    public static func execute(_ plan: SweepPlan, file: ScenarioFile, store: ResultStore, version: String, jobs: Int,
                               options: ScenarioRunner.Options = .init(), backend: String = "simulator",
                               runner: (@Sendable (_ index: Int, _ point: SweepPoint, _ scenario: Scenario) -> RunResult)? = nil,
                               stop: @escaping @Sendable () -> Bool = { false },
                               onResult: (RunResult) -> Void = { _ in }) throws -> Outcome {
        let name = (try? plan.run(0).scenario.name) ?? file.path
        let sweepID = try store.startSweep(name: name, path: file.path, scenarioHash: file.contentHash, version: version,
                                           runCount: plan.runCount, shard: plan.shard?.description, backend: backend,
                                           population: file.population)
        let start = ContinuousClock.now
        var recorded = 0, elsewhere = 0
        let run = runner ?? { index, point, scenario in
            ScenarioRunner.run(index: index, point: point, scenario: scenario, options: options)
        }
        try SweepExecutor.execute(plan, jobs: jobs, run: run, stop: stop) { result in
            if try store.record(result, sweepID: sweepID, scenarioHash: file.contentHash, version: version) {
                recorded += 1
                onResult(result)
            } else {
                elsewhere += 1
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = elapsed.inSeconds
        let finished = recorded + elsewhere == plan.pending.count
        if finished { try store.finishSweep(sweepID, wallSeconds: seconds) }
        return Outcome(sweepID: sweepID, plan: plan, wallSeconds: seconds, recorded: recorded, recordedElsewhere: elsewhere,
                       finished: finished)
    }
}
