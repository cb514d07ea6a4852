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

/// Waits until SIGINT or SIGTERM arrives, or `duration` seconds pass.
func waitForStop(duration: Double?) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = ResumeOnce(continuation)
        once.retain(onTerminationSignals { _ in once.resume() })
        if let duration {
            DispatchQueue.global().asyncAfter(deadline: .now() + duration) { once.resume() }
        }
    }
}

/// Resumes a continuation at most once, from whichever source fires first.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func retain(_ sources: [DispatchSourceSignal]) { lock.withLock { self.sources += sources } }

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

    static func install() -> InterruptFlag {
        let flag = InterruptFlag()
        flag.sources = onTerminationSignals { sig in
            let first = flag.lock.withLock {
                defer { if flag.received == nil { flag.received = sig } }
                return flag.received == nil
            }
            if first { log("\ninterrupted: finishing runs in flight…") }
        }
        return flag
    }
}
