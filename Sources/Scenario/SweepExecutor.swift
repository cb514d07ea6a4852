import Foundation
import Records
import Synchronization

/// Runs the pending runs of a plan on `jobs` threads; each run is its own deterministic
/// simulation. Results are handed to `record` on the calling thread in run-index order,
/// so the database rows of two executions are identical whatever the scheduling.
/// `stop` is polled before each run starts: after it turns true, in-flight runs finish
/// and are recorded, and no new one starts (Ctrl-C leaves a consistent database).
public enum SweepExecutor {
    public static func execute(
        _ plan: SweepPlan, jobs: Int,
        run: @escaping @Sendable (_ index: Int, _ point: SweepPoint, _ scenario: Scenario) -> RunResult,
        stop: @escaping @Sendable () -> Bool = { false },
        record: (RunResult) throws -> Void
    ) throws {
        let queue = WorkQueue(indices: plan.pending)
        let aborted = StopFlag()
        let done = CompletedRuns()
        let workers = max(1, min(jobs, plan.pending.count))
        for _ in 0..<workers {
            let thread = Thread {
                while !stop(), !aborted.isSet, let index = queue.next() {
                    done.add(SweepExecutor.start(index, of: plan, run))
                }
                done.workerFinished()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        let order = plan.pending
        var position = 0
        var waiting: [Int: RunResult] = [:]
        var workersDone = 0
        defer { aborted.set() }
        while true {
            let batch: [RunResult]
            (batch, workersDone) = done.wait(afterWorkersDone: workersDone)
            for result in batch { waiting[result.runIndex] = result }
            // Write in index order; a result waits for its predecessors.
            while position < order.count, let ready = waiting.removeValue(forKey: order[position]) {
                try record(ready)
                position += 1
            }
            if workersDone == workers {
                // Stopped early: what completed is still recorded, in index order.
                for result in waiting.values.sorted(by: { $0.runIndex < $1.runIndex }) { try record(result) }
                break
            }
        }
    }
}

extension SweepExecutor {
    /// Decodes run `index` and runs it. A validated plan decodes every run; should one
    /// fail anyway, it is recorded as an `error` run rather than lost.
    static func start(_ index: Int, of plan: SweepPlan,
                      _ run: (_ index: Int, _ point: SweepPoint, _ scenario: Scenario) -> RunResult) -> RunResult {
        do {
            let (point, scenario) = try plan.run(index)
            return run(index, point, scenario)
        } catch {
            return RunResult(runIndex: index, parameters: plan.file.sweep.assignments(index), seed: (try? plan.key(of: index).seed) ?? 0,
                             outcome: .error, errorMessage: error.description, wallSeconds: 0, simulatedTime: .zero, simulatorEvents: 0)
        }
    }
}

/// Hands out run indices to worker threads.
final class WorkQueue: Sendable {
    private let state: Mutex<(indices: [Int], position: Int)>

    init(indices: [Int]) { state = Mutex((indices, 0)) }

    func next() -> Int? {
        state.withLock { s in
            guard s.position < s.indices.count else { return nil }
            defer { s.position += 1 }
            return s.indices[s.position]
        }
    }
}

/// Results handed from workers to the recording thread.
final class CompletedRuns: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: RunResult] = [:]
    private var workersDone = 0

    func add(_ result: RunResult) {
        condition.lock()
        results[result.runIndex] = result
        condition.signal()
        condition.unlock()
    }

    func workerFinished() {
        condition.lock()
        workersDone += 1
        condition.signal()
        condition.unlock()
    }

    /// Blocks until a result is available or more workers than `seen` have exited;
    /// returns all results so far and the number of exited workers.
    func wait(afterWorkersDone seen: Int) -> ([RunResult], Int) {
        condition.lock()
        defer { condition.unlock() }
        while results.isEmpty && workersDone == seen { condition.wait() }
        let batch = Array(results.values)
        results.removeAll()
        return (batch, workersDone)
    }
}

/// A flag raised once, read from any thread.
final class StopFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
