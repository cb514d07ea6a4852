import Foundation

/// Runs `body` on a thread of its own and returns its result to the awaiting test.
///
/// For tests that simulate for long (whole scenario sweeps, the RFC 8867 suite in a debug
/// build): run on Swift's cooperative pool, which has one thread per core, two of them
/// hold the pool for minutes and every async test of the run (the live interop tests
/// talking to other processes) waits, until its peers' timeouts expire. On its own
/// thread the work still gets its share of the CPU and the pool stays free; it is heavy
/// work for `CPUGate`, so the live interop tests do not run beside it. `body` must not
/// record test issues (`#expect` needs the test's task): return what to check.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await CPUGate.shared.run(.heavy) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
