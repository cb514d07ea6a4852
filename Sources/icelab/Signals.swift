import Dispatch
import Foundation

/// Waits until SIGINT or SIGTERM arrives, or `duration` seconds pass.
func waitForStop(duration: Double?) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = ResumeOnce(continuation)
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { once.resume() }
            source.resume()
            once.retain(source)
        }
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

    func retain(_ source: DispatchSourceSignal) { lock.withLock { sources.append(source) } }

    func resume() {
        let c: CheckedContinuation<Void, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        c?.resume()
    }
}
