import NetTypes
import Testing
@testable import SCTP

/// Partial reliability (RFC 3758), stream reset (RFC 6525), shutdown, abort, heartbeats
/// and unknown chunks.
@Suite struct SCTPReliabilityTests {
    func dataTSNs(_ pair: AssociationPair, _ side: Int) -> [UInt32] {
        pair.packets(side).flatMap(\.chunks).compactMap { if case .data(let d) = $0 { d.tsn } else { nil } }
    }

    /// A message with max-retransmits 0 whose only transmission is lost is abandoned; a
    /// FORWARD-TSN moves the receiver past it, and later ordered messages on its stream
    /// are delivered.
    @Test func maxRetransmitsAbandonsWithForwardTSN() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        let firstData = pair.sent[0].count
        pair.drop = { side, index, _ in side == 0 && index == firstData }
        try pair.send(0, [1, 1, 1], reliability: .maxRetransmits(0))
        try pair.send(0, [2, 2, 2], reliability: .maxRetransmits(0))
        pair.run(for: .seconds(10)) { pair.messages(1).count == 1 && pair.cores[0].outstanding.isEmpty }
        #expect(pair.messages(1).map(\.bytes) == [[2, 2, 2]])
        let forwards = pair.packets(0).flatMap(\.chunks).compactMap { if case .forwardTSN(let f) = $0 { f } else { nil } }
        #expect(!forwards.isEmpty)
        #expect(forwards.first?.streams == [SCTPSkippedStream(stream: 0, ssn: 0)])
        #expect(pair.cores[0].statistics.abandonedMessages == 1)
        // The abandoned message was never sent again.
        #expect(Set(dataTSNs(pair, 0)).count == dataTSNs(pair, 0).count)
    }

    /// Timed reliability: with the link down for longer than the lifetime, messages are
    /// abandoned (unsent ones never hit the wire) and the stream goes on afterwards.
    @Test func lifetimeAbandonsUnsentAndOutstandingMessages() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        var blackout = true
        pair.drop = { side, _, _ in side == 0 && blackout }
        for i in 0..<40 { try pair.send(0, [UInt8](repeating: UInt8(i), count: 1000), reliability: .lifetime(.milliseconds(300))) }
        pair.run(for: .milliseconds(1500))
        blackout = false
        try pair.send(0, [99])
        pair.run(for: .seconds(10)) { pair.messages(1).contains { $0.bytes == [99] } }
        #expect(pair.messages(1).map(\.bytes) == [[99]])
        #expect(pair.cores[0].statistics.abandonedMessages == 40)
        #expect(dataTSNs(pair, 0).count < 40 + 5)  // most never sent
    }

    @Test func unorderedPartialReliabilityUnderLoss() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        pair.loss = Xoshiro256(seed: 17)
        pair.lossRate = 0.2
        for i in 0..<300 { try pair.send(0, [UInt8(i % 256), UInt8(i / 256)], unordered: true, reliability: .maxRetransmits(1)) }
        pair.run(for: .seconds(60)) { pair.cores[0].bufferedAmount == 0 && pair.cores[0].outstanding.isEmpty }
        let got = pair.messages(1).count
        #expect(got < 300 && got > 150)
        // A message may arrive and still be abandoned when its SACK was lost.
        #expect(got + pair.cores[0].statistics.abandonedMessages >= 300)
        #expect(pair.cores[0].outstanding.isEmpty)
    }

    /// RFC 6525: resetting an outgoing stream after its data; the peer resets the
    /// incoming side and SSNs restart at 0 on both.
    @Test func streamResetRestartsSequenceNumbers() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        try pair.send(0, [1], stream: 4)
        try pair.send(0, [2], stream: 4)
        pair.call(0) { try? $0.resetStreams([4], now: $1) }
        #expect(throws: SCTPError.streamResetting(4)) { try pair.send(0, [3], stream: 4) }
        pair.run(for: .seconds(5)) { pair.events[0].contains(.outgoingStreamsReset([4])) }
        #expect(pair.events[1].contains(.incomingStreamsReset([4])))
        // The reset came after both messages.
        let kinds = pair.events[1].compactMap { e -> String? in
            switch e { case .message: "m"; case .incomingStreamsReset: "r"; default: nil }
        }
        #expect(kinds == ["m", "m", "r"])
        try pair.send(0, [3], stream: 4)
        pair.run(for: .seconds(5)) { pair.messages(1).count == 3 }
        let ssns = pair.packets(0).flatMap(\.chunks).compactMap { if case .data(let d) = $0 { d.ssn } else { nil } }
        #expect(ssns == [0, 1, 0])
        #expect(pair.messages(1).map(\.bytes) == [[1], [2], [3]])
    }

    /// A request whose last TSN has not arrived is answered "in progress" and performed
    /// once the data is in (§5.2.2).
    @Test func streamResetWaitsForOutstandingData() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        let next = pair.sent[0].count
        pair.drop = { side, index, _ in side == 0 && index == next }
        try pair.send(0, [1], stream: 2)
        pair.call(0) { try? $0.resetStreams([2], now: $1) }
        pair.run(for: .seconds(10)) { pair.events[0].contains(.outgoingStreamsReset([2])) }
        #expect(pair.messages(1).map(\.bytes) == [[1]])
        let results = pair.packets(1).flatMap(\.chunks).flatMap { c -> [SCTPReconfigResult] in
            guard case .reconfig(let p) = c else { return [] }
            return p.compactMap { if case .response(_, let r) = $0 { r } else { nil } }
        }
        #expect(results.first == .inProgress && results.last == .successPerformed)
    }

    @Test func gracefulShutdownDeliversEverythingFirst() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        for i in 0..<20 { try pair.send(0, [UInt8](repeating: UInt8(i), count: 5000)) }
        pair.call(0) { $0.shutdown(now: $1) }
        #expect(throws: SCTPError.notEstablished) { try pair.send(0, [1]) }
        pair.lossRate = 0.05
        pair.run(for: .seconds(60)) { pair.cores[0].state == .closed && pair.cores[1].state == .closed }
        #expect(pair.messages(1).count == 20)
        #expect(pair.events[0].last == .closed && pair.events[1].last == .closed)
        #expect(pair.cores[0].nextTimer == nil && pair.cores[1].nextTimer == nil)
    }

    /// A lost SHUTDOWN COMPLETE: the peer resends SHUTDOWN ACK after we closed, and gets
    /// SHUTDOWN COMPLETE with the T bit (§8.4 item 5), so both close.
    @Test func lostShutdownCompleteIsAnsweredAfterClose() {
        let pair = AssociationPair()
        #expect(pair.establish())
        pair.drop = { side, _, bytes in
            side == 0 && (try? SCTPPacket(decoding: bytes))?.chunks.first == .shutdownComplete(reflected: false)
        }
        pair.call(0) { $0.shutdown(now: $1) }
        pair.run(for: .seconds(30)) { pair.cores[0].state == .closed && pair.cores[1].state == .closed }
        #expect(pair.events[1].last == .closed)
        #expect(pair.packets(0).last?.chunks == [.shutdownComplete(reflected: true)])
    }

    @Test func abortEndsBothSides() {
        let pair = AssociationPair()
        #expect(pair.establish())
        pair.call(0) { $0.abort(reason: "bye", now: $1) }
        pair.run(for: .seconds(1))
        #expect(pair.events[0].last == .failed(.aborted(.userInitiatedAbort("bye"))))
        #expect(pair.events[1].last == .failed(.abortedByPeer([.userInitiatedAbort("bye")])))
        #expect(pair.cores[1].state == .failed)
    }

    @Test func deadPeerFailsAfterMaxRetransmissions() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        pair.drop = { _, _, _ in true }
        try pair.send(0, [1, 2, 3])
        pair.run(for: .seconds(3600))
        #expect(pair.events[0].last == .failed(.retransmissionLimit))
        #expect(pair.cores[0].statistics.timeouts == SCTPConfiguration().maxAssociationRetransmits + 1)
    }

    @Test func heartbeatsAreAnsweredAndTimeRoundTrips() {
        var config = SCTPConfiguration()
        config.heartbeatInterval = .seconds(5)
        let pair = AssociationPair(configuration: config, delay: .milliseconds(40))
        #expect(pair.establish())
        pair.run(for: .seconds(30))
        let acks = pair.packets(1).flatMap(\.chunks).filter { $0.type == SCTPChunkType.heartbeatAck }
        #expect(acks.count >= 3)
        #expect(pair.cores[0].rto.smoothedRTT == .milliseconds(80))
        #expect(pair.cores[0].state == .established)
    }

    /// §3.2: an unknown chunk type's upper bits: 01 stops processing and reports; 10 skips
    /// silently; the DATA after a skipped chunk is still read.
    @Test func unknownChunksFollowTheirTypeBits() {
        let pair = AssociationPair()
        #expect(pair.establish())
        let tag = pair.cores[1].localTag
        let tsn = pair.cores[1].peerCumulativeTSN &+ 1
        func data(_ tsn: UInt32, _ byte: UInt8) -> SCTPChunk {
            .data(SCTPDataChunk(tsn: tsn, stream: 0, ssn: UInt16(truncatingIfNeeded: tsn &- (pair.cores[1].peerCumulativeTSN &+ 1)), ppid: 53, userData: [byte]))
        }
        let skip = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: tag,
                              chunks: [.unknown(type: 0xBF, flags: 0, value: []), data(tsn, 1)])
        pair.call(1) { $0.handle(packet: skip.encoded, now: $1) }
        #expect(pair.messages(1).map(\.bytes) == [[1]])
        let stop = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: tag,
                              chunks: [.unknown(type: 0x7F, flags: 0, value: [1, 2]), data(tsn &+ 1, 2)])
        pair.call(1) { $0.handle(packet: stop.encoded, now: $1) }
        #expect(pair.messages(1).count == 1)
        let errors = pair.packets(1).flatMap(\.chunks).compactMap { if case .error(let c) = $0 { c } else { nil } }
        #expect(errors.first?.first?.code == SCTPErrorCause.unrecognizedChunkCode)
    }
}

/// Partial reliability needs the peer's Forward-TSN-Supported (RFC 3758 §3.3).
@Suite struct SCTPNegotiationTests {
    @Test func withoutPeerSupportEveryMessageIsReliable() throws {
        var plain = SCTPConfiguration()
        plain.partialReliability = false
        let pair = AssociationPair(configuration: plain)
        try pair.send(0, [1], reliability: .maxRetransmits(0))  // queued before the handshake
        #expect(pair.establish())
        #expect(!pair.cores[0].peerSupportsForwardTSN)
        pair.drop = { side, index, _ in side == 0 && index == 2 }  // the first DATA
        try pair.send(0, [2], reliability: .lifetime(.milliseconds(1)))
        pair.run(for: .seconds(10)) { pair.messages(1).count == 2 }
        #expect(pair.messages(1).map(\.bytes) == [[1], [2]])
        #expect(pair.cores[0].statistics.abandonedMessages == 0)
        #expect(!pair.packets(0).flatMap(\.chunks).contains { $0.type == SCTPChunkType.forwardTSN })
    }
}
