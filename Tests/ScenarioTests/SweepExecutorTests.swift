import NetTypes
import Records
import Synchronization
import Testing
@testable import Scenario

@Suite struct SweepExecutorTests {
    static let text = """
    name: sweep
    network:
      nats: { home: { preset: full-cone } }
      hosts: { alice: { behind: home } }
    sweep:
      home.mapping: [endpoint-independent, address-dependent]
      seed: 1...10
    """

    static func fakeRun(_ index: Int, _ point: SweepPoint, _ scenario: Scenario) -> RunResult {
        // Uneven durations so that completion order differs from index order.
        var x: UInt64 = 0
        for i in 0..<UInt64((index % 3) * 20_000) { x &+= i &* 31 }
        return RunResult(runIndex: index, parameters: point, seed: scenario.seed, outcome: x == 1 ? .error : .passed,
                         wallSeconds: 0, simulatedTime: scenario.duration, simulatorEvents: 0)
    }

    @Test func recordsEveryRunInIndexOrder() throws {
        let plan = try SweepPlan(file: try ScenarioFile(text: Self.text, path: "s.yaml"))
        #expect(plan.runCount == 20 && plan.pending == Array(0..<20))
        var recorded: [Int] = []
        try SweepExecutor.execute(plan, jobs: 3, run: Self.fakeRun) { recorded.append($0.runIndex) }
        #expect(recorded == Array(0..<20))
    }

    @Test func shardsPartitionTheSweep() throws {
        let file = try ScenarioFile(text: Self.text, path: "s.yaml")
        var all: [Int] = []
        for i in 0..<3 {
            let plan = try SweepPlan(file: file, shard: SweepPlan.Shard(parsing: "\(i)/3"))
            all += plan.pending
        }
        #expect(all.sorted() == Array(0..<20))
        #expect(SweepPlan.Shard(parsing: "3/3") == nil && SweepPlan.Shard(parsing: "x") == nil)
    }

    @Test func completedRunsAreSkippedAndSeedOverrideApplies() throws {
        let file = try ScenarioFile(text: Self.text, path: "s.yaml")
        let first = try SweepPlan(file: file)
        let done: Set<RunKey> = [try first.key(of: 0), try first.key(of: 7)]
        let resumed = try SweepPlan(file: file, completed: done)
        #expect(resumed.alreadyDone == 2 && resumed.pending.count == 18 && !resumed.pending.contains(7))
        let skipped = try first.skipping(done)
        #expect(skipped.pending == resumed.pending && skipped.alreadyDone == 2)
    }

    @Test func seedOverrideReplacesTheSeedOfEveryRunAndIsRecordedAsSuch() throws {
        let file = try ScenarioFile(text: Self.text.replacingOccurrences(of: "\n  seed: 1...10", with: "") + "\nseed: 4", path: "s.yaml")
        let overridden = try SweepPlan(file: file, seedOverride: 99)
        #expect(try overridden.run(1).scenario.seed == 99 && overridden.key(of: 1).seed == 99)
        #expect(try SweepPlan(file: file).key(of: 1).seed == 4)
    }

    /// A seed override on a seed sweep would run one simulation under many seed labels.
    @Test func seedOverrideOfASeedSweepIsRefusedAtTheAxis() throws {
        let file = try ScenarioFile(text: Self.text, path: "s.yaml")
        #expect(throws: ScenarioError(SourceLocation(file: "s.yaml", line: 7, column: 3),
                                      "the sweep varies 'seed', so --seed cannot replace it: drop --seed or this axis")) {
            try SweepPlan(file: file, seedOverride: 99)
        }
    }

    @Test func stopLetsInFlightRunsFinishAndStartsNoMore() throws {
        let plan = try SweepPlan(file: try ScenarioFile(text: Self.text, path: "s.yaml"))
        let started = Mutex(0)
        var recorded: [Int] = []
        try SweepExecutor.execute(plan, jobs: 2, run: { index, point, scenario in
            started.withLock { $0 += 1 }
            return Self.fakeRun(index, point, scenario)
        }, stop: { started.withLock { $0 >= 5 } }) { recorded.append($0.runIndex) }
        let count = started.withLock { $0 }
        #expect(count >= 5 && count <= 6)
        #expect(recorded.count == count)
        #expect(recorded == recorded.sorted())
    }
}
