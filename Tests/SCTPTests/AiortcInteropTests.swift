import DataChannel
import Foundation
import NetTypes
import SCTP
import Spawn
import TestSupport
import Testing

/// Our data channel endpoint (DTLS client role) against aiortc's pure-Python SCTP and
/// DCEP (`aiortc_sctp_peer.py`), packets exchanged as hex lines over the child's
/// stdin/stdout in place of DTLS. Both sides send INIT (an INIT collision every run),
/// each opens a channel on its parity, and aiortc echoes our messages: text, binary, an
/// empty one and a 200 KB one that travels fragmented.
@Suite(.serialized, .enabled(if: Python.canImport("aiortc"), "aiortc is not installed (pip install aiortc)"))
struct AiortcInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("aiortc_sctp_peer.py")

    /// What one run saw: our endpoint's events and the packets each way.
    struct Outcome: Sendable {
        var events: [DataChannelEvent] = []
        var sent = 0
        var received = 0
        var stderr = ""
    }

    static let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    @Test func echoOverAiortc() async throws {
        let outcome = try await onOwnThread { try Self.run() }
        let messages = outcome.events.compactMap { e -> (UInt16, [UInt8], Bool)? in
            if case .message(let c, let b, let s) = e { (c, b, s) } else { nil }
        }
        let opened = outcome.events.compactMap { if case .channelOpened(let info) = $0 { info } else { nil } }
        #expect(outcome.events.first == .associationEstablished, "\(outcome.stderr)")
        #expect(opened.contains { $0.id == 0 && $0.parameters.label == "echo" })
        #expect(opened.contains { $0.id % 2 == 1 && $0.parameters.label == "from-aiortc" })
        #expect(messages.contains { $0.0 % 2 == 1 && $0.1 == Array("hello from aiortc".utf8) && $0.2 })
        let echoes = messages.filter { $0.0 == 0 }
        // Sizes first, then the 200 KB message by a Bool: a failure must not print it.
        #expect(echoes.map(\.1.count) == [4, 3, 0, Self.big.count])
        #expect(echoes.prefix(3).map(\.1) == [Array("ping".utf8), [1, 2, 3], []])
        let bigEchoed = echoes.count == 4 && echoes[3].1 == Self.big
        #expect(bigEchoed)
        #expect(echoes.map(\.2) == [true, false, true, false])
    }

    static func run() throws -> Outcome {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let lines = LineQueue()
        Thread.detachNewThread {
            var buffer = Data()
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer += chunk
                while let newline = buffer.firstIndex(of: 0x0A) {
                    lines.push(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer = Data(buffer[(newline + 1)...])
                }
            }
        }
        let clock = ContinuousClock(), start = clock.now
        func now() -> Instant {
            let elapsed = clock.now - start
            return Instant(nanoseconds: elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        var endpoint = DataChannelEndpoint(role: .client, local: Endpoint(.v4(IPv4Address(127, 0, 0, 1)), 1),
                                           remote: Endpoint(.v4(IPv4Address(127, 0, 0, 1)), 2), rng: Xoshiro256(seed: 7))
        var outcome = Outcome()
        var deadline = Instant.distantFuture
        var channel: UInt16?
        var sentMessages = false
        func drain() {
            while true {
                switch endpoint.pollOutput() {
                case .transmit(let datagram):
                    outcome.sent += 1
                    input.fileHandleForWriting.write(Data((datagram.payload.map { String(format: "%02x", $0) }.joined() + "\n").utf8))
                case .event(let event): outcome.events.append(event)
                case .timeout(let next):
                    deadline = next
                    return
                }
            }
        }
        endpoint.connect(now: now())
        drain()
        channel = try? endpoint.openChannel(DataChannelParameters(label: "echo"), now: now())
        drain()
        // Generous: aiortc is pure Python, and a loaded machine (parallel test suites) slows
        // its 200 KB echo far beyond the second it takes alone.
        let limit = now() + .seconds(120)
        while now() < limit {
            if let line = lines.pop(timeout: 0.01) {
                outcome.received += 1
                endpoint.handle(Datagram(source: endpoint.association.remote, destination: endpoint.association.local,
                                         payload: [UInt8](hex: line)), now: now())
                drain()
            }
            if now() >= deadline {
                endpoint.handleTimeout(now: now())
                drain()
            }
            if !sentMessages, let id = channel, outcome.events.contains(where: { if case .channelOpened(let i) = $0 { i.id == id } else { false } }) {
                sentMessages = true
                try? endpoint.send(Array("ping".utf8), isString: true, on: id, now: now())
                try? endpoint.send([1, 2, 3], isString: false, on: id, now: now())
                try? endpoint.send([], isString: true, on: id, now: now())
                try? endpoint.send(big, isString: false, on: id, now: now())
                drain()
            }
            let echoes = outcome.events.filter { if case .message(0, _, _) = $0 { true } else { false } }.count
            let hello = outcome.events.contains { if case .message(let c, _, _) = $0 { c % 2 == 1 } else { false } }
            if echoes == 4 && hello { break }
        }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        outcome.stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return outcome
    }
}

/// Lines read by one thread, taken by another.
final class LineQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []

    func push(_ line: String) {
        condition.lock()
        lines.append(line)
        condition.signal()
        condition.unlock()
    }

    func pop(timeout: TimeInterval) -> String? {
        condition.lock()
        defer { condition.unlock() }
        if lines.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}
