import Foundation
import TestSupport

/// An ICE peer in a subprocess speaking the one-line JSON protocol of `icelab ice-peer`:
/// lines to its stdin, lines from its stdout, stderr passed through; killed after 60 s
/// whatever happens. One test uses it; the only calls from other threads are `Process`'s
/// thread-safe `isRunning`, `terminate` and `waitUntilExit`.
final class PeerProcess: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("aioice_peer.py")

    /// Whether `python3` can import aioice.
    static let aioiceIsAvailable: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import aioice"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// The `icelab` executable built next to the test bundle, if it is there.
    static var icelab: URL? { IcelabExecutable.url }

    /// `aioice_peer.py` with `arguments`.
    static func aioice(_ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script.path] + arguments)
    }

    /// `icelab ice-peer` with `arguments`.
    static func icePeer(_ icelab: URL, _ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(executable: icelab, arguments: ["ice-peer"] + arguments)
    }

    private let process = Process()
    private let input = Pipe()
    private let iterator: LineIterator

    private init(executable: URL, arguments: [String]) throws {
        let output = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        iterator = LineIterator(stream)
        try process.run()
        let reader = output.fileHandleForReading
        DispatchQueue.global().async {
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
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { [self] in kill() }
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
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }

    func kill() { if process.isRunning { process.terminate() } }
}

/// One consumer's position in a line stream, shared by the calls of one test.
private final class LineIterator: @unchecked Sendable {
    private var iterator: AsyncStream<String>.Iterator
    init(_ stream: AsyncStream<String>) { iterator = stream.makeAsyncIterator() }
    func next() async -> String? { await iterator.next() }
}
