import Foundation
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
        let done = CompletedRuns()
        let runs = plan.runs
        let workers = max(1, min(jobs, plan.pending.count))
        var threads: [Thread] = []
        for _ in 0..<workers {
            let thread = Thread {
                while !stop(), let index = queue.next() {
                    let result = run(index, runs[index].point, runs[index].scenario)
                    done.add(result)
                }
                done.workerFinished()
            }
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
        var nextPosition = 0
        let order = plan.pending
        var finished = 0
        while finished < workers || done.hasResults {
            let (batch, workersDone) = done.wait()
            finished = workersDone
            var buffered = batch
            // Write in index order; what is out of order waits for its predecessors.
            buffered.sort { $0.runIndex < $1.runIndex }
            done.putBack(buffered.filter { result in
                guard nextPosition < order.count, result.runIndex == order[nextPosition] else { return true }
                return false
            })
            for result in buffered where nextPosition < order.count && result.runIndex == order[nextPosition] {
                try record(result)
                nextPosition += 1
                while nextPosition < order.count, let ready = done.take(order[nextPosition]) {
                    try record(ready)
                    nextPosition += 1
                }
            }
            if finished == workers {
                // Stopped early: record what completed, still in index order.
                for result in done.drain().sorted(by: { $0.runIndex < $1.runIndex }) { try record(result) }
            }
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

    var hasResults: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !results.isEmpty
    }

    /// Blocks until a result or a worker exit is available; returns all results so far.
    func wait() -> ([RunResult], Int) {
        condition.lock()
        defer { condition.unlock() }
        let known = workersDone
        while results.isEmpty && workersDone == known { condition.wait() }
        let batch = Array(results.values)
        results.removeAll()
        return (batch, workersDone)
    }

    func putBack(_ batch: [RunResult]) {
        condition.lock()
        for result in batch { results[result.runIndex] = result }
        condition.unlock()
    }

    func take(_ index: Int) -> RunResult? {
        condition.lock()
        defer { condition.unlock() }
        return results.removeValue(forKey: index)
    }

    func drain() -> [RunResult] {
        condition.lock()
        defer { condition.unlock() }
        let all = Array(results.values)
        results.removeAll()
        return all
    }
}
