import NetTypes
import Testing
@testable import SCTP

/// The four-way handshake (RFC 9260 §5): cookies, tags, collisions and hostile input.
@Suite struct SCTPHandshakeTests {
    @Test func fourWayHandshake() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        let a = pair.packets(0).map { $0.chunks.map(\.type) }, b = pair.packets(1).map { $0.chunks.map(\.type) }
        #expect(a == [[SCTPChunkType.initiate], [SCTPChunkType.cookieEcho]])
        #expect(b == [[SCTPChunkType.initiateAck], [SCTPChunkType.cookieAck]])
        #expect(pair.packets(0)[0].verificationTag == 0)
        #expect(pair.packets(0)[1].verificationTag == pair.cores[1].localTag)
        #expect(pair.cores[0].peerTag == pair.cores[1].localTag && pair.cores[1].peerTag == pair.cores[0].localTag)
        #expect(pair.cores[0].peerSupportsForwardTSN && pair.cores[0].peerSupportsReconfig)
        #expect(pair.events[0].first == .established && pair.events[1].first == .established)
    }

    /// WebRTC: both sides send INIT at once (§5.2.1); each answers with its own tags and
    /// both end up established with one association.
    @Test func initCollision() {
        let pair = AssociationPair()
        #expect(pair.establish(bothConnect: true))
        #expect(pair.cores[0].peerTag == pair.cores[1].localTag && pair.cores[1].peerTag == pair.cores[0].localTag)
        #expect(pair.events[0].filter { $0 == .established }.count == 1)
        #expect(pair.events[1].filter { $0 == .established }.count == 1)
        try? pair.send(0, [1, 2, 3])
        pair.run(for: .seconds(5)) { !pair.messages(1).isEmpty }
        #expect(pair.messages(1).map(\.bytes) == [[1, 2, 3]])
    }

    @Test func lostHandshakePacketsAreResentOnT1() {
        let pair = AssociationPair()
        pair.drop = { side, index, _ in index == 0 }  // the first INIT and the first INIT ACK
        #expect(pair.establish())
        #expect(pair.cores[0].statistics.timeouts >= 1)
    }

    @Test func unansweredInitFailsAfterMaxInitRetransmits() {
        let pair = AssociationPair()
        pair.drop = { _, _, _ in true }
        pair.call(0) { $0.connect(now: $1) }
        pair.run(for: .seconds(3600))
        #expect(pair.events[0] == [.failed(.handshakeTimeout)])
        #expect(pair.sent[0].count == 1 + SCTPConfiguration().maxInitRetransmits)
    }

    /// §5.1.3: an INIT is answered from the cookie alone; a flood of INITs leaves the
    /// listener's state untouched.
    @Test func initFloodKeepsNoState() throws {
        var listener = SCTPAssociation(local: AssociationPair.addressB, remote: AssociationPair.addressA, rng: Xoshiro256(seed: 5))
        var attacker = Xoshiro256(seed: 6)
        for _ in 0..<1000 {
            let initiate = SCTPInitChunk(initiateTag: UInt32(truncatingIfNeeded: attacker.next()) | 1, advertisedWindow: 1000,
                                         outboundStreams: 10, inboundStreams: 10, initialTSN: 1)
            let packet = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: 0, chunks: [.initiate(initiate)])
            listener.handle(packet: packet.encoded, now: .zero)
            while case .transmit = listener.pollOutput() {}
        }
        #expect(listener.state == .closed)
        #expect(listener.statistics.initsAnswered == 1000)
        #expect(listener.peerTag == 0)
    }

    @Test func staleCookieGetsAnError() throws {
        var config = SCTPConfiguration()
        config.cookieLifetime = .milliseconds(10)
        let pair = AssociationPair(configuration: config, delay: .milliseconds(30))
        pair.call(0) { $0.connect(now: $1) }
        pair.run(for: .seconds(1)) { pair.cores[0].state == .established }
        // Every COOKIE ECHO arrives 60 ms after its cookie was made: stale, so a Stale
        // Cookie error each time, the initiator restarts with INIT, until it gives up.
        let errors = pair.packets(1).flatMap(\.chunks).filter { if case .error(let c) = $0 { c.first?.code == 3 } else { false } }
        #expect(!errors.isEmpty)
        #expect(pair.cores[1].statistics.cookiesRejected >= 1)
        #expect(pair.cores[1].state == .closed)
        #expect(pair.events[0].contains { if case .peerError = $0 { true } else { false } })
    }

    /// A COOKIE ECHO replayed into an established association (§5.2.4) changes nothing;
    /// a forged cookie is discarded.
    @Test func replayedAndForgedCookiesAreDiscarded() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        let echo = try #require(pair.packets(0).first { $0.chunks.first?.type == SCTPChunkType.cookieEcho })
        guard case .cookieEcho(let cookie) = echo.chunks[0] else { return }
        // Same tags: a repeated COOKIE ECHO, answered with COOKIE ACK again.
        let before = pair.sent[1].count
        pair.call(1) { $0.handle(packet: echo.encoded, now: $1) }
        #expect(pair.packets(1)[before...].map { $0.chunks } == [[.cookieAck]])
        // A forged cookie (one bit flipped in the MAC) is dropped silently.
        var forged = cookie
        forged[forged.count - 1] ^= 1
        let forgedPacket = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: echo.verificationTag,
                                      chunks: [.cookieEcho(forged)])
        let rejected = pair.cores[1].statistics.cookiesRejected
        pair.call(1) { $0.handle(packet: forgedPacket.encoded, now: $1) }
        #expect(pair.cores[1].statistics.cookiesRejected == rejected + 1)
        #expect(pair.sent[1].count == before + 1)
        #expect(pair.cores[1].state == .established)
    }

    /// §8.5: packets with the wrong verification tag, ports or checksum are discarded.
    @Test func badTagsAndChecksumsAreDiscarded() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        let data = SCTPChunk.data(SCTPDataChunk(tsn: 1, stream: 0, ssn: 0, ppid: 53, userData: [1]))
        var wrongTag = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: pair.cores[1].localTag ^ 1, chunks: [data])
        let discarded = pair.cores[1].statistics.packetsDiscarded
        pair.call(1) { $0.handle(packet: wrongTag.encoded, now: $1) }
        wrongTag.verificationTag = pair.cores[1].localTag
        wrongTag.sourcePort = 5001
        pair.call(1) { $0.handle(packet: wrongTag.encoded, now: $1) }
        wrongTag.sourcePort = 5000
        var corrupted = wrongTag.encoded
        corrupted[corrupted.count - 4] ^= 0x10
        pair.call(1) { $0.handle(packet: corrupted, now: $1) }
        let abort = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: 12345, chunks: [.abort(reflected: false, causes: [])])
        pair.call(1) { $0.handle(packet: abort.encoded, now: $1) }
        #expect(pair.cores[1].statistics.packetsDiscarded == discarded + 4)
        #expect(pair.cores[1].state == .established)
        #expect(pair.messages(1).isEmpty)
    }

    @Test func sameSeedSameBytes() {
        func run() -> [[[UInt8]]] {
            let pair = AssociationPair(seed: 42)
            _ = pair.establish(bothConnect: true)
            for i in 0..<50 { try? pair.send(0, [UInt8](repeating: UInt8(i), count: 3000), stream: UInt16(i % 3)) }
            pair.lossRate = 0.05
            pair.run(for: .seconds(60)) { pair.messages(1).count == 50 }
            return pair.sent
        }
        let first = run()
        #expect(first == run())
        #expect(first != { let p = AssociationPair(seed: 43); _ = p.establish(); return p.sent }())
    }
}
