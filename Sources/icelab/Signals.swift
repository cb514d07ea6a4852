import Dispatch
import Foundation

/// Calls `handler` (on a global queue) with the signal number for every SIGINT or
/// SIGTERM, instead of the default termination. Keep the returned sources alive as long
/// as handling is wanted.
func onTerminationSignals(_ handler: @escaping @Sendable (Int32) -> Void) -> [DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { sig in
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { handler(sig) }
        source.resume()
        return source
    }
}

/// The stop requests (SIGINT, SIGTERM) a server gets: the first starts its shutdown
/// (graceful with `--drain-seconds`), a second one ends it at once. Signals are counted
/// from installation on, so one that arrives while nobody waits is not lost.
///
/// Written on Dispatch signal sources rather than swift-service-lifecycle: the servers are
/// one service each, whose drain is a core flag and a timer (docs/operations.md).
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var received = 0
    private var waiting: [(count: Int, once: ResumeOnce)] = []
    private var sources: [DispatchSourceSignal] = []

    static func install() -> StopSignals {
        let signals = StopSignals()
        signals.sources = onTerminationSignals { _ in signals.arrived() }
        return signals
    }

    /// Signals received so far.
    var count: Int { lock.withLock { received } }

    /// Returns once `count` signals in all have arrived, or after `seconds` (nil: no limit).
    func wait(untilSignals count: Int, orSeconds seconds: Double?) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            let already = lock.withLock {
                if received >= count { return true }
                waiting.append((count, once))
                return false
            }
            if already { return once.resume() }
            if let seconds { DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { once.resume() } }
        }
    }

    private func arrived() {
        let due: [ResumeOnce] = lock.withLock {
            received += 1
            let due = waiting.filter { $0.count <= received }.map(\.once)
            waiting.removeAll { $0.count <= received }
            return due
        }
        for once in due { once.resume() }
    }
}

/// Resumes a continuation at most once, from whichever source fires first.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func resume() {
        let c: CheckedContinuation<Void, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        c?.resume()
    }
}

/// Raised by SIGINT (Ctrl-C) or SIGTERM: in-flight runs finish and are recorded, no new
/// run starts, and the command exits as the shell reports a process the signal killed.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    var isSet: Bool { lock.withLock { received != nil } }

    /// 128 + the first signal received (130 for SIGINT, 143 for SIGTERM), the status a
    /// shell gives a command the signal terminated; nil when none arrived.
    var exitStatus: Int32? { lock.withLock { received.map { 128 + $0 } } }

    /// Raises the flag on the first signal; `immediately`, when given, then handles it
    /// instead of letting runs in flight finish.
    static func install(immediately: (@Sendable (Int32) -> Void)? = nil) -> InterruptFlag {
        let flag = InterruptFlag()
        flag.sources = onTerminationSignals { sig in
            let first = flag.lock.withLock {
                defer { if flag.received == nil { flag.received = sig } }
                return flag.received == nil
            }
            if let immediately { return immediately(sig) }
            if first { log("\ninterrupted: finishing runs in flight…") }
        }
        return flag
    }
}
