import Foundation
import NetTypes
import Spawn

/// A program running inside a lab's namespace that the lab talks to: lines written to
/// its standard input, its standard output read line by line as they come (with the
/// time each line arrived), standard error kept for diagnostics. What the netns backend
/// uses to signal two `icelab ice-peer` processes and read their results.
public final class LabProgram: @unchecked Sendable {
    /// A line of standard output and when it was read (monotonic clock).
    public struct Line: Sendable {
        public var text: String
        public var at: ContinuousClock.Instant
    }

    let process = SpawnedProcess()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private let condition = NSCondition()
    private var lines: [Line] = []
    private var partial = Data()
    private var errorText = Data()
    private var outputClosed = false
    /// Launch time (monotonic clock).
    public let started: ContinuousClock.Instant

    /// Starts `arguments` (the executable first, a path) with `environment` added.
    init(_ arguments: [String], environment: [String: String] = [:]) throws(NetnsError) {
        guard let executable = HostCommand.locate(arguments[0]) else { throw .toolMissing(arguments[0]) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        started = .now
        do { try process.run() } catch { throw .commandFailed(command: arguments, status: -1, output: "\(error)") }
        Thread.detachNewThread { [self] in readOutput() }
        Thread.detachNewThread { [self] in
            let handle = errors.fileHandleForReading
            // Bounded: a chatty program keeps its last 64 KiB of diagnostics.
            while case let chunk = handle.availableData, !chunk.isEmpty {
                condition.withLock {
                    errorText += chunk
                    if errorText.count > 65_536 { errorText.removeFirst(errorText.count - 65_536) }
                }
            }
        }
    }

    private func readOutput() {
        let handle = output.fileHandleForReading
        while case let chunk = handle.availableData, !chunk.isEmpty {
            let now = ContinuousClock.now
            condition.withLock {
                partial += chunk
                while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(Line(text: String(decoding: partial[partial.startIndex..<newline], as: UTF8.self), at: now))
                    partial.removeSubrange(partial.startIndex...newline)
                }
                // A line longer than 1 MiB is not one of icelab's JSON lines.
                if partial.count > 1 << 20 { partial.removeAll() }
                condition.broadcast()
            }
        }
        condition.withLock {
            outputClosed = true
            condition.broadcast()
        }
    }

    /// The next unread line of standard output, waiting up to `timeout`; nil when the
    /// program closed its output or the time ran out.
    public func nextLine(timeout: Swift.Duration) -> Line? {
        let deadline = Date().addingTimeInterval(timeout.inSeconds)
        return condition.withLock {
            while lines.isEmpty && !outputClosed {
                if !condition.wait(until: deadline) { break }
            }
            return lines.isEmpty ? nil : lines.removeFirst()
        }
    }

    /// Waits up to `timeout` until the program's standard error contains `text` (a
    /// server's "listening on" line); false when it did not, or the program exited first.
    public func waitForDiagnostics(containing text: String, timeout: Swift.Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if diagnostics.contains(text) { return true }
            if !process.isRunning { return diagnostics.contains(text) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Writes `line` and a newline to the program's standard input.
    public func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Closes the program's standard input (icelab's echoing peers then finish).
    public func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Waits up to `timeout` for the program to exit and returns its status, or nil when
    /// it is still running.
    public func waitForExit(timeout: Swift.Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return process.terminationStatus
    }

    /// Stops the program (SIGTERM, then SIGKILL after a second).
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        if waitForExit(timeout: .seconds(1)) == nil {
            kill(process.processIdentifier, SIGKILL)
            _ = waitForExit(timeout: .seconds(1))
        }
    }

    /// What the program wrote to standard error (its last 64 KiB).
    public var diagnostics: String { condition.withLock { String(decoding: errorText, as: UTF8.self) } }
}
