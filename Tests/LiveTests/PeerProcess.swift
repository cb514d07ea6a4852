import Foundation
import Spawn
import TestSupport

/// An ICE peer in a subprocess speaking the one-line JSON protocol of `icelab ice-peer`:
/// lines to its stdin, lines from its stdout, stderr passed through; killed when the test
/// ends, and after 5 minutes whatever happens (a guard against leaked processes only: in
/// a full `swift test` the CPU-bound simulation suites can hold every cooperative thread
/// for a minute and more, and the test answers the peers only when it runs again). One test uses it; the only calls from other threads are `Process`'s
/// thread-safe `isRunning` and `terminate`, and the exit latch (locked). Its stdout is read
/// and the watchdog sleeps on threads of their own, and its exit comes from
/// `terminationHandler`, so that no thread of Swift's cooperative pool (one per core) or
/// of Dispatch's global queue (as narrow on Linux) waits on it: when other tests hold
/// those, the peer's lines are still read and the limit still holds.
final class PeerProcess: @unchecked Sendable {
    /// A script next to this file.
    static func script(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Whether `python3` can import aioice.
    static let aioiceIsAvailable = Python.canImport("aioice")
    /// Whether `python3` can import aiortc.
    static let aiortcIsAvailable = Python.canImport("aiortc")

    /// The `icelab` executable built next to the test bundle, if it is there.
    static var icelab: URL? { IcelabExecutable.url }

    /// `aioice_peer.py` with `arguments`.
    static func aioice(_ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script("aioice_peer.py").path] + arguments)
    }

    /// `aiortc_peer.py` (DTLS-SRTP after ICE) with `arguments`.
    static func aiortc(_ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script("aiortc_peer.py").path] + arguments)
    }

    /// `aiortc_data_peer.py` (data channels after DTLS) with `arguments`.
    static func aiortcData(_ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script("aiortc_data_peer.py").path] + arguments)
    }

    /// `icelab ice-peer` with `arguments`.
    static func icePeer(_ icelab: URL, _ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(executable: icelab, arguments: ["ice-peer"] + arguments)
    }

    private let process = SpawnedProcess()
    private let input = Pipe()
    private let iterator: LineIterator
    private let exit = ExitLatch()

    private init(executable: URL, arguments: [String]) throws {
        let output = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        iterator = LineIterator(stream)
        process.terminationHandler = { [exit] process in exit.exited(process.terminationStatus) }
        try process.run()
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var pending = Data()
            while case let chunk = reader.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            continuation.finish()
        }
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: 300)
            kill()
        }
    }

    /// Writes a line to its stdin; a peer that already exited (broken pipe) is not an
    /// error here — the test's next read reports what happened.
    func write(_ line: String) { try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8)) }

    /// Ends its stdin: an echoing peer then exits.
    func closeInput() { try? input.fileHandleForWriting.close() }

    /// The next line it prints; nil once it has exited.
    func nextLine() async -> String? { await iterator.next() }

    /// The next line as a JSON object.
    func nextObject() async throws -> [String: Any]? {
        guard let line = await nextLine() else { return nil }
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    /// Waits for it to exit.
    func exitStatus() async -> Int32 { await exit.status() }

    func kill() { if process.isRunning { process.terminate() } }
}

/// One consumer's position in a line stream, shared by the calls of one test.
private final class LineIterator: @unchecked Sendable {
    private var iterator: AsyncStream<String>.Iterator
    init(_ stream: AsyncStream<String>) { iterator = stream.makeAsyncIterator() }
    func next() async -> String? { await iterator.next() }
}

/// The exit status of a process, awaited by any number of callers.
private final class ExitLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var code: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    func exited(_ status: Int32) {
        let waiting = lock.withLock {
            code = status
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume(returning: status) }
    }

    func status() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known: Int32? = lock.withLock {
                if code == nil { waiters.append(continuation) }
                return code
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
