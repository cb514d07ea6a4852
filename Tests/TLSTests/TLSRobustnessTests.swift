import NetTypes
import TLS
import Testing

/// Hostile or broken input ends in `.failed` with a typed error, never a trap, and
/// nothing happens after it.
@Suite struct TLSRobustnessTests {
    static func serverFed(_ chunks: [[UInt8]]) -> Peer {
        let server = Peer(TLSSession(context: Fixtures.serverContext, randomness: .seeded(Xoshiro256(seed: 1))))
        server.session.start(now: .zero)
        for chunk in chunks {
            server.session.receive(chunk, now: .zero)
            server.drain()
        }
        server.session.receive(Array(repeating: 0x17, count: 64), now: .zero)
        server.session.send([1, 2, 3], now: .zero)
        server.session.close(now: .zero)
        server.drain()
        return server
    }

    static func clientHello() -> [UInt8] {
        let connection = Connection()
        connection.client.session.start(now: .zero)
        connection.client.drain()
        return connection.client.wire
    }

    static func expectProtocolError(_ peer: Peer, _ comment: Comment) {
        guard case .protocolError(let reason) = peer.failure else {
            Issue.record("\(comment): \(String(describing: peer.failure))")
            return
        }
        #expect(!reason.isEmpty)
        #expect(peer.session.state == .failed)
        #expect(peer.outputsAfterEnd == 0, "\(comment): outputs after the failure")
    }

    @Test func randomGarbageFails() {
        var rng = Xoshiro256(seed: 77)
        for trial in 0..<200 {
            let garbage = (0..<Int(rng.next() % 600 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let server = Self.serverFed([garbage])
            // A garbage prefix that happens to look like a partial record waits for more.
            if server.failure == nil { #expect(server.session.state == .closed || server.session.state == .handshaking) }
            else { Self.expectProtocolError(server, "trial \(trial)") }
        }
        let deadbeef = Self.serverFed([[0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02]])
        Self.expectProtocolError(deadbeef, "deadbeef")
        #expect(deadbeef.failure == .protocolError("wrong version number"))
    }

    @Test func truncatedRecordWaitsAndAShortenedOneFails() {
        let hello = Self.clientHello()
        // Cut short: a stream just waits for the rest.
        let waiting = Peer(TLSSession(context: Fixtures.serverContext, randomness: .seeded(Xoshiro256(seed: 1))))
        waiting.session.receive(Array(hello.dropLast(20)), now: .zero)
        waiting.drain()
        #expect(waiting.failure == nil && waiting.transcript.isEmpty && waiting.session.state == .handshaking)

        // The record's length shortened to match: the handshake message inside is truncated.
        var shortened = Array(hello.dropLast(20))
        let length = Int(shortened[3]) << 8 | Int(shortened[4]) - 20
        shortened[3] = UInt8(length >> 8)
        shortened[4] = UInt8(length & 0xFF)
        // A handshake message may span records, so the server waits for the rest...
        let spanning = Peer(TLSSession(context: Fixtures.serverContext, randomness: .seeded(Xoshiro256(seed: 1))))
        spanning.session.receive(shortened, now: .zero)
        spanning.drain()
        #expect(spanning.failure == nil && spanning.session.state == .handshaking)
        // ...and a record of another type in the middle of it is fatal.
        let server = Self.serverFed([shortened, [0x17, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5]])
        #expect(server.failure == .protocolError("unexpected message"))
    }

    @Test func oversizedRecordLengthFails() {
        Self.expectProtocolError(Self.serverFed([[0x16, 0x03, 0x01, 0xFF, 0xFF] + Array(repeating: 0, count: 100)]), "length 65535")
        let justOver = Self.serverFed([[0x16, 0x03, 0x01, 0x48, 0x01]])
        Self.expectProtocolError(justOver, "length 18433")
        #expect(justOver.failure == .protocolError("packet length too long"))
    }

    @Test func httpTextToAServerFails() {
        let server = Self.serverFed([Array("GET / HTTP/1.1\r\nHost: turn.example.net\r\n\r\n".utf8)])
        Self.expectProtocolError(server, "HTTP")
        #expect(server.failure == .protocolError("http request"))
    }

    @Test func errorsDoNotLeakBetweenSessionsOnOneThread() {
        let bad = Self.serverFed([Array("GET / HTTP/1.0\r\n\r\n".utf8)])
        #expect(bad.failure != nil)
        var good = Connection()
        good.exchange()
        #expect(good.client.failure == nil && good.server.failure == nil && good.server.closed)
    }

    @Test func garbageAfterTheHandshakeFails() {
        var connection = Connection()
        connection.handshake()
        connection.server.session.receive([0x17, 0x03, 0x03, 0x00, 0x20] + Array(repeating: 0xAB, count: 32), now: .zero)
        connection.server.drain()
        Self.expectProtocolError(connection.server, "forged application data")
        #expect(connection.server.failure == .protocolError("decryption failed or bad record mac"))
    }
}
