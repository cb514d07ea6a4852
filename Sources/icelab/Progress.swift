import Foundation
import NetTypes

/// A one-line progress bar on standard error, drawn only when it is a terminal:
/// done/total, rate, ETA and failures.
final class Progress {
    private let total: Int
    private var done = 0
    private var failures = 0
    private let start = ContinuousClock.now
    private let enabled = isatty(2) == 1
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: Int) { self.total = total }

    func advance(failed: Bool) {
        done += 1
        if failed { failures += 1 }
        let now = ContinuousClock.now
        if enabled && (now - lastDraw > .milliseconds(100) || done == total) {
            lastDraw = now
            draw()
        }
    }

    /// Prints a line above the bar.
    func note(_ line: String) {
        if enabled { try? FileHandle.standardError.write(contentsOf: Data("\r\u{1B}[K".utf8)) }
        log(line)
        if enabled { draw() }
    }

    func finish() {
        if enabled { try? FileHandle.standardError.write(contentsOf: Data("\n".utf8)) }
    }

    private func draw() {
        let elapsed = ContinuousClock.now - start
        let seconds = max(elapsed.inSeconds, 1e-9)
        let rate = Double(done) / seconds
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let line = "\r[\(bar)] \(done)/\(total)  \(String(format: "%.0f", rate)) runs/s  ETA \(String(format: "%.0f", eta))s  failures \(failures)"
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}
