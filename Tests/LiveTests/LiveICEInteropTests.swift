import Foundation
import NetTypes
import Testing
@testable import Live

/// `LiveICEPeer` against an independent ICE implementation, aioice (Python), on loopback:
/// `aioice_peer.py` speaks the same one-line JSON protocol as `icelab ice-peer`.
@Suite(.serialized, .enabled(if: AioicePeer.isAvailable, "python3 with aioice is missing: python3 -m pip install aioice"))
struct LiveICEInteropTests {
    static let timeout = NetTypes.Duration.seconds(10)

    @Test func icelabControllingEchoesWhatAioiceSends() async throws {
        let aioice = try AioicePeer(arguments: ["--role", "controlled", "--send", "hello from aioice"])
        let peer = LiveICEPeer(configuration: .init(role: .controlling, echo: true))
        defer { aioice.kill() }
        try await handshake(peer, aioice)
        let received = try #require(try await aioice.nextObject(), "aioice printed no reply")
        #expect(received["received"] as? String == "hello from aioice")
        aioice.closeInput()
        #expect(await aioice.exitStatus() == 0)
        await peer.close()
    }

    @Test func aioiceControllingEchoesWhatIcelabSends() async throws {
        let aioice = try AioicePeer(arguments: ["--role", "controlling"])
        let peer = LiveICEPeer(configuration: .init(role: .controlled))
        defer { aioice.kill() }
        try await handshake(peer, aioice)
        let reply = await peer.sendUntilReply(Array("hello from icelab".utf8), timeout: Self.timeout)
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == "hello from icelab")
        aioice.closeInput()
        #expect(await aioice.exitStatus() == 0)
        await peer.close()
    }

    /// Descriptions both ways, then both connect: on the selected pair icelab sees
    /// aioice's loopback host candidate.
    private func handshake(_ peer: LiveICEPeer, _ aioice: AioicePeer) async throws {
        let local = try await peer.start(timeout: Self.timeout)
        aioice.write(local.jsonLine)
        let line = try #require(await aioice.nextLine(), "aioice printed no description")
        let remote = try ICEPeerDescription(jsonLine: line)
        #expect(!remote.candidates.isEmpty)
        let result = try await peer.connect(remote: remote, timeout: Self.timeout)
        #expect(result.isConnected, "\(result.jsonLine)")
        #expect(result.selected.map { remote.candidates.contains($0.remote) } == true, "\(result.jsonLine)")
        let state = try #require(try await aioice.nextObject(), "aioice printed no result")
        #expect(state["state"] as? String == "connected")
    }
}

/// `aioice_peer.py` as a subprocess: lines to its stdin, lines from its stdout, killed
/// after 30 s whatever happens. One test uses it; the only calls from other threads are
/// `Process`'s thread-safe `isRunning`, `terminate` and `waitUntilExit`.
final class AioicePeer: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("aioice_peer.py")

    /// Whether `python3` can import aioice.
    static let isAvailable: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import aioice"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    private let process = Process()
    private let input = Pipe()
    private let iterator: LineIterator

    init(arguments: [String]) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path] + arguments
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
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) { [self] in kill() }
    }

    func write(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

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
