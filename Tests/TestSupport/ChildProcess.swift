import Foundation
import Spawn

/// A program run by a test, waited for without blocking a thread of Swift's cooperative
/// pool. That pool has one thread per core (two here): a test blocked in `waitUntilExit`
/// or a pipe read holds one, and two such tests stall every other async test of the run,
/// e.g. one exchanging lines with `icelab ice-peer` processes until their timeouts
/// expire. Output is read as it comes on threads of its own and the exit comes from
/// `terminationHandler`.
public final class ChildProcess: @unchecked Sendable {
    public let process = SpawnedProcess()
    private let stdout = Pipe(), stderr = Pipe()
    private let lock = NSLock()
    private var output = Data(), errors = Data()
    private var readersDone = 0
    private var exited = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Starts `executable` with `arguments`, and `environment` added to this process's.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [self] _ in finished { exited = true } }
        try process.run()
        for (pipe, isOutput) in [(stdout, true), (stderr, false)] {
            Thread.detachNewThread { [self] in
                // Chunk by chunk, so what a running server printed (the port it chose,
                // its serving line) can be read before it exits.
                let handle = pipe.fileHandleForReading
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    lock.withLock { if isOutput { output += chunk } else { errors += chunk } }
                }
                finished { readersDone += 1 }
            }
        }
    }

    /// Runs `executable` to its end: its status and what it printed.
    public static func run(_ executable: URL, _ arguments: [String],
                           environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(executable, arguments, environment: environment)
        let status = await child.exitStatus()
        return (status, child.standardOutput, child.standardError)
    }

    /// Waits until it has exited and both pipes are read; its exit status.
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                if exited && readersDone == 2 { return true }
                waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        return process.terminationStatus
    }

    /// What it printed on stdout so far (all of it once `exitStatus()` returned).
    public var standardOutput: String { lock.withLock { String(decoding: output, as: UTF8.self) } }
    /// What it printed on stderr so far (all of it once `exitStatus()` returned).
    public var standardError: String { lock.withLock { String(decoding: errors, as: UTF8.self) } }

    /// Applies `change` under the lock, then wakes the waiters once all is done.
    private func finished(_ change: () -> Void) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            change()
            guard exited && readersDone == 2 else { return [] }
            defer { waiters = [] }
            return waiters
        }
        for waiter in ready { waiter.resume() }
    }
}
