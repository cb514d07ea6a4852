import NetTypes
import Testing
@testable import SCTP

/// User message interleaving (RFC 8260): the I-DATA and I-FORWARD-TSN chunks, their
/// negotiation, interleaved sending and reassembly, partial reliability with
/// I-FORWARD-TSN, and what malformed I-DATA does.
@Suite struct SCTPInterleavingTests {
    static func configuration(interleaving: Bool = true, mtu: Int = 1200) -> SCTPConfiguration {
        var c = SCTPConfiguration()
        c.interleaving = interleaving ? .offer : .off
        c.mtu = mtu
        return c
    }

    static func pair(_ a: SCTPConfiguration = configuration(), _ b: SCTPConfiguration = configuration(),
                     bothConnect: Bool = false, establish: Bool = true) -> AssociationPair {
        let pair = AssociationPair(SCTPAssociation(configuration: a, local: AssociationPair.addressA, remote: AssociationPair.addressB,
                                                   rng: Xoshiro256(seed: 1)),
                                   SCTPAssociation(configuration: b, local: AssociationPair.addressB, remote: AssociationPair.addressA,
                                                   rng: Xoshiro256(seed: 2)))
        if establish { #expect(pair.establish(bothConnect: bothConnect)) }
        return pair
    }

    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    func roundTrip(_ chunk: SCTPChunk) throws -> SCTPChunk {
        let packet = SCTPPacket(sourcePort: 1, destinationPort: 2, verificationTag: 3, chunks: [chunk])
        return try #require(try SCTPPacket(decoding: packet.encoded).chunks.first)
    }

    // MARK: Codec (RFC 8260 §2.1, §2.3.1 figures)

    /// Type 64, flags ...IUBE, length, TSN, stream, 16 reserved bits, MID, then the PPID
    /// in the first fragment and the FSN in the others, user data padded to 4 bytes.
    @Test func iDataLayout() throws {
        let first = SCTPChunk.iData(SCTPDataChunk(tsn: 0x0102_0304, stream: 5, ssn: 0, ppid: 51, unordered: true, beginning: true,
                                                  ending: false, immediate: true, mid: 0x0A0B_0C0D, fsn: 0, userData: [0x61, 0x62, 0x63]))
        #expect(hex(first.encoded) == "400e0017" + "01020304" + "00050000" + "0a0b0c0d" + "00000033" + "616263" + "00")
        #expect(try roundTrip(first) == first)
        let middle = SCTPChunk.iData(SCTPDataChunk(tsn: 7, stream: 1, ssn: 0, ppid: 0, beginning: false, ending: true,
                                                   mid: 2, fsn: 0x1234_5678, userData: [1, 2, 3, 4]))
        #expect(hex(middle.encoded) == "40010018" + "00000007" + "00010000" + "00000002" + "12345678" + "01020304")
        #expect(try roundTrip(middle) == middle)
        #expect(middle.encodedSize == middle.encoded.count && first.encodedSize == first.encoded.count)
    }

    /// Type 194: new cumulative TSN, then per entry the stream, 15 reserved bits and the
    /// U bit, and the MID.
    @Test func iForwardTSNLayout() throws {
        let chunk = SCTPChunk.iForwardTSN(SCTPIForwardTSNChunk(newCumulativeTSN: 10, messages: [
            SCTPSkippedMessage(stream: 1, unordered: false, mid: 2), SCTPSkippedMessage(stream: 0x0304, unordered: true, mid: 0xFFFF_FFFF),
        ]))
        #expect(hex(chunk.encoded) == "c2000018" + "0000000a" + "00010000" + "00000002" + "03040001" + "ffffffff")
        #expect(try roundTrip(chunk) == chunk)
    }

    /// Zero-length I-DATA, a later fragment with FSN 0, a truncated header and an entry
    /// list not a multiple of 8 bytes are typed decode errors.
    @Test func malformedChunksThrow() {
        func packet(_ chunk: String) -> [UInt8] {
            var bytes = [UInt8](hex: "000100020000000300000000" + chunk)
            let crc = SCTPPacket.checksum(bytes)
            bytes[8] = UInt8(truncatingIfNeeded: crc); bytes[9] = UInt8(truncatingIfNeeded: crc >> 8)
            bytes[10] = UInt8(truncatingIfNeeded: crc >> 16); bytes[11] = UInt8(truncatingIfNeeded: crc >> 24)
            return bytes
        }
        #expect(throws: SCTPDecodeError.invalidChunk(type: 64)) {
            try SCTPPacket(decoding: packet("40030014" + "00000001" + "00000000" + "00000000" + "00000033"))
        }
        #expect(throws: SCTPDecodeError.invalidChunk(type: 64)) {
            try SCTPPacket(decoding: packet("40010015" + "00000001" + "00000000" + "00000000" + "00000000" + "61000000"))
        }
        #expect(throws: SCTPDecodeError.truncated) { try SCTPPacket(decoding: packet("40030010" + "00000001" + "00000000" + "00000000")) }
        #expect(throws: SCTPDecodeError.badLength) { try SCTPPacket(decoding: packet("c200000c" + "00000001" + "00010000")) }
    }

    // MARK: Negotiation (RFC 8260 §2.2.1)

    func dataTypes(_ pair: AssociationPair, _ side: Int) -> Set<UInt8> {
        Set(pair.packets(side).flatMap(\.chunks).map(\.type).filter { $0 == SCTPChunkType.data || $0 == SCTPChunkType.iData })
    }

    @Test(arguments: [false, true])
    func bothSidesOfferingUseIData(bothConnect: Bool) throws {
        let pair = Self.pair(bothConnect: bothConnect)
        #expect(pair.cores[0].interleaving && pair.cores[1].interleaving)
        #expect(pair.cores[0].peerSupportsForwardTSN && pair.cores[1].peerSupportsForwardTSN)
        try pair.send(0, [UInt8](repeating: 7, count: 5000), stream: 2)
        try pair.send(1, [8], stream: 3)
        pair.run(for: .seconds(10)) { pair.messages(1).count == 1 && pair.messages(0).count == 1 }
        #expect(pair.messages(1).map(\.bytes) == [[UInt8](repeating: 7, count: 5000)])
        #expect(pair.messages(0).map(\.bytes) == [[8]])
        #expect(dataTypes(pair, 0) == [SCTPChunkType.iData] && dataTypes(pair, 1) == [SCTPChunkType.iData])
        let inits = pair.packets(0).flatMap(\.chunks).compactMap { if case .initiate(let i) = $0 { i } else { nil } }
        #expect(inits.first?.supportsInterleaving == true && inits.first?.supportsInterleavedForwardTSN == true)
    }

    /// One side offering is not enough when the other is off: both use DATA (and
    /// FORWARD-TSN), as with browsers.
    @Test(arguments: [(true, false), (false, true), (false, false)])
    func oneSideOnlyUsesData(offers: (Bool, Bool)) throws {
        let pair = Self.pair(Self.configuration(interleaving: offers.0), Self.configuration(interleaving: offers.1))
        #expect(!pair.cores[0].interleaving && !pair.cores[1].interleaving)
        #expect(pair.cores[0].peerSupportsForwardTSN)
        try pair.send(0, [UInt8](repeating: 7, count: 5000))
        pair.run(for: .seconds(10)) { pair.messages(1).count == 1 }
        #expect(pair.messages(1).count == 1)
        #expect(dataTypes(pair, 0) == [SCTPChunkType.data])
        let offered = pair.packets(0).flatMap(\.chunks).contains {
            if case .initiate(let i) = $0 { i.supportsInterleaving } else { false }
        }
        #expect(offered == offers.0)
    }

    // MARK: Interleaved sending and reassembly

    /// Two messages of three full fragments each on two streams, queued before the
    /// handshake, one fragment per packet (MTU 256): round robin interleaves them
    /// A0 B0 A1 B1 A2 B2. Every subset of these six first transmissions is lost in turn;
    /// both messages always arrive whole, and reassembly ends empty.
    @Test func interleavedReassemblyUnderEveryLossPattern() throws {
        var configuration = Self.configuration(mtu: 256)
        configuration.streamScheduler = .roundRobin
        let fragment = 256 - SCTPPacket.headerSize - SCTPDataChunk.interleavedHeaderSize
        let a = (0..<3 * fragment).map { UInt8(truncatingIfNeeded: $0) }
        let b = (0..<3 * fragment).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        func fragments(_ packet: [UInt8]) -> [SCTPDataChunk] {
            ((try? SCTPPacket(decoding: packet))?.chunks ?? []).compactMap { if case .iData(let d) = $0 { d } else { nil } }
        }
        for pattern in 0..<64 {
            let pair = Self.pair(configuration, configuration, establish: false)
            try pair.send(0, a, stream: 1)
            try pair.send(0, b, stream: 2)
            var firstTransmissions: [SCTPDataChunk] = []
            pair.drop = { side, _, packet in
                let data = fragments(packet)
                guard side == 0, data.count == 1, firstTransmissions.count < 6,
                      !firstTransmissions.contains(where: { $0.tsn == data[0].tsn }) else { return false }
                firstTransmissions.append(data[0])
                return pattern & (1 << (firstTransmissions.count - 1)) != 0
            }
            #expect(pair.establish())
            pair.run(for: .seconds(120)) { pair.messages(1).count == 2 }
            #expect(firstTransmissions.map { "\($0.stream):\($0.fsn)" } == ["1:0", "2:0", "1:1", "2:1", "1:2", "2:2"], "pattern \(pattern)")
            let received = pair.messages(1)
            #expect(received.first { $0.stream == 1 }?.bytes == a, "pattern \(pattern)")
            #expect(received.first { $0.stream == 2 }?.bytes == b, "pattern \(pattern)")
            #expect(received.count == 2 && pair.cores[1].receiveBufferedBytes == 0, "pattern \(pattern)")
        }
    }

    /// A multi-megabyte message on one stream and, right behind it, a chat message on
    /// another. With DATA the chat message waits until the big one is cut into chunks
    /// (RFC 9260 §6.9: its fragments take consecutive TSNs); with I-DATA it goes out
    /// between two fragments and arrives one round trip later.
    static func chatLatencyBehindBigMessage(interleaving: Bool) throws -> (chat: Duration, file: Duration) {
        var configuration = configuration(interleaving: interleaving)
        configuration.streamScheduler = .roundRobin
        configuration.maxMessageSize = 4 << 20
        configuration.receiveWindow = 8 << 20
        let pair = pair(configuration, configuration)
        let file = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let start = pair.now
        try pair.send(0, file, stream: 1)
        try pair.send(0, Array("hello".utf8), stream: 3)
        var arrivals: [UInt16: Instant] = [:]
        pair.onEvent = { side, event in
            if side == 1, case .message(let message) = event { arrivals[message.stream] = pair.now }
        }
        pair.run(for: .seconds(600)) { arrivals.count == 2 }
        #expect(pair.messages(1).map(\.bytes) == [Array("hello".utf8), file] || pair.messages(1).map(\.bytes) == [file, Array("hello".utf8)])
        return ((arrivals[3] ?? .distantFuture) - start, (arrivals[1] ?? .distantFuture) - start)
    }

    @Test func chatMessageDoesNotWaitForTheBigMessage() throws {
        let data = try Self.chatLatencyBehindBigMessage(interleaving: false)
        let iData = try Self.chatLatencyBehindBigMessage(interleaving: true)
        // DATA: the chat message leaves after the last of the file's chunks.
        #expect(data.chat >= data.file - .milliseconds(40), "DATA: chat \(data.chat), file \(data.file)")
        // I-DATA: two round trips at most (40 ms RTT), while the file takes far longer.
        #expect(iData.chat <= .milliseconds(80), "I-DATA: chat \(iData.chat)")
        #expect(iData.file > .milliseconds(200))
    }

    // MARK: Partial reliability (RFC 8260 §2.3)

    /// A max-retransmits 0 message on stream 1 whose first fragment is lost is abandoned;
    /// the I-FORWARD-TSN names exactly it (stream 1, ordered, MID 0), the next message on
    /// stream 1 is delivered, and the message interleaved on stream 2 is untouched.
    @Test(arguments: [false, true])
    func iForwardTSNSkipsExactlyTheAbandonedMessage(unordered: Bool) throws {
        var configuration = Self.configuration(mtu: 256)
        configuration.streamScheduler = .roundRobin
        let pair = Self.pair(configuration, configuration)
        let first = pair.sent[0].count
        pair.drop = { side, index, _ in side == 0 && index == first }
        try pair.send(0, [UInt8](repeating: 1, count: 600), stream: 1, unordered: unordered, reliability: .maxRetransmits(0))
        try pair.send(0, [UInt8](repeating: 2, count: 600), stream: 2)
        try pair.send(0, [3], stream: 1, unordered: unordered, reliability: .maxRetransmits(0))
        pair.run(for: .seconds(20)) { pair.messages(1).count == 2 && pair.cores[0].outstanding.isEmpty }
        #expect(Set(pair.messages(1).map(\.bytes)) == [[UInt8](repeating: 2, count: 600), [3]])
        let forwards = pair.packets(0).flatMap(\.chunks).compactMap { if case .iForwardTSN(let f) = $0 { f } else { nil } }
        #expect(!forwards.isEmpty)
        #expect(forwards.allSatisfy { $0.messages == [SCTPSkippedMessage(stream: 1, unordered: unordered, mid: 0)] })
        #expect(!pair.packets(0).flatMap(\.chunks).contains { $0.type == SCTPChunkType.forwardTSN })
        #expect(pair.cores[0].statistics.abandonedMessages == 1)
        #expect(pair.cores[1].receiveBufferedBytes == 0)
    }

    /// Reassembly alone: an I-FORWARD-TSN drops the partial messages it names and
    /// nothing else, even fragments below the new cumulative TSN of another message.
    @Test func forwardDropsOnlyTheNamedMessages() throws {
        var reassembly = SCTPInterleavedReassembly(maxMessageSize: 1000)
        var output = SCTPReassembly.Output()
        func fragment(_ tsn: UInt32, stream: UInt16, mid: UInt32, fsn: UInt32, last: Bool) -> SCTPDataChunk {
            SCTPDataChunk(tsn: tsn, stream: stream, ssn: 0, ppid: fsn == 0 ? 51 : 0, beginning: fsn == 0, ending: last,
                          mid: mid, fsn: fsn, userData: [UInt8(tsn)])
        }
        try reassembly.add(fragment(1, stream: 1, mid: 0, fsn: 0, last: false), into: &output)
        try reassembly.add(fragment(2, stream: 2, mid: 0, fsn: 0, last: false), into: &output)
        try reassembly.add(fragment(4, stream: 1, mid: 1, fsn: 0, last: true), into: &output)  // waits for MID 0
        #expect(output.messages.isEmpty && reassembly.bufferedBytes == 3)
        reassembly.forward(skipping: [SCTPSkippedMessage(stream: 1, unordered: false, mid: 0)], into: &output)
        #expect(output.messages.map(\.bytes) == [[4]])
        #expect(reassembly.bufferedBytes == 1)
        try reassembly.add(fragment(5, stream: 2, mid: 0, fsn: 1, last: true), into: &output)
        #expect(output.messages.map(\.bytes) == [[4], [2, 5]] && reassembly.bufferedBytes == 0)
        // A late fragment of the skipped message is stale and ignored.
        try reassembly.add(fragment(3, stream: 1, mid: 0, fsn: 1, last: true), into: &output)
        #expect(reassembly.bufferedBytes == 0 && output.messages.count == 2)
    }

    // MARK: Malformed I-DATA

    /// Feeds `chunks` to side 1 of an established interleaving pair as if side 0 sent them.
    func inject(_ chunks: [SCTPChunk], into pair: AssociationPair) {
        let packet = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: pair.cores[1].localTag, chunks: chunks)
        pair.cores[1].handle(packet: packet.encoded, now: pair.now)
        pair.drain(1)
    }

    func aborted(_ pair: AssociationPair) -> Bool {
        pair.events[1].contains { if case .failed(.aborted) = $0 { true } else { false } }
            && pair.packets(1).flatMap(\.chunks).contains { $0.type == SCTPChunkType.abort }
    }

    func fragment(_ pair: AssociationPair, _ offset: UInt32, mid: UInt32, fsn: UInt32, last: Bool = false, stream: UInt16 = 1) -> SCTPChunk {
        .iData(SCTPDataChunk(tsn: pair.cores[1].peerCumulativeTSN &+ offset, stream: stream, ssn: 0, ppid: fsn == 0 ? 51 : 0,
                             beginning: fsn == 0, ending: last, mid: mid, fsn: fsn, userData: [1, 2, 3]))
    }

    @Test func repeatedFSNAborts() {
        let pair = Self.pair()
        inject([fragment(pair, 1, mid: 0, fsn: 1), fragment(pair, 2, mid: 0, fsn: 1)], into: pair)
        #expect(aborted(pair))
    }

    @Test func fragmentBeyondTheLastAborts() {
        let pair = Self.pair()
        inject([fragment(pair, 1, mid: 0, fsn: 2, last: true), fragment(pair, 2, mid: 0, fsn: 3)], into: pair)
        #expect(aborted(pair))
        let other = Self.pair()
        inject([fragment(other, 1, mid: 0, fsn: 3), fragment(other, 2, mid: 0, fsn: 2, last: true)], into: other)
        #expect(aborted(other))
    }

    @Test func midFarBeyondTheWindowAborts() {
        let pair = Self.pair()
        inject([fragment(pair, 1, mid: SCTPInterleavedReassembly.midWindow, fsn: 0, last: true)], into: pair)
        #expect(aborted(pair))
        let near = Self.pair()
        inject([fragment(near, 1, mid: SCTPInterleavedReassembly.midWindow - 1, fsn: 0, last: true)], into: near)
        #expect(!aborted(near) && near.cores[1].receiveBufferedBytes == 3)
    }

    /// The chunk type not agreed aborts: DATA or FORWARD-TSN with I-DATA, I-DATA or
    /// I-FORWARD-TSN without.
    @Test func wrongChunkTypeAborts() {
        let withIData = Self.pair()
        inject([.data(SCTPDataChunk(tsn: withIData.cores[1].peerCumulativeTSN &+ 1, stream: 1, ssn: 0, ppid: 51, userData: [1]))],
               into: withIData)
        #expect(aborted(withIData))
        let forward = Self.pair()
        inject([.forwardTSN(SCTPForwardTSNChunk(newCumulativeTSN: forward.cores[1].peerCumulativeTSN &+ 1))], into: forward)
        #expect(aborted(forward))
        let plain = Self.pair(Self.configuration(interleaving: false), Self.configuration(interleaving: false))
        inject([fragment(plain, 1, mid: 0, fsn: 0, last: true)], into: plain)
        #expect(aborted(plain))
        let plainForward = Self.pair(Self.configuration(interleaving: false), Self.configuration(interleaving: false))
        inject([.iForwardTSN(SCTPIForwardTSNChunk(newCumulativeTSN: plainForward.cores[1].peerCumulativeTSN &+ 1))], into: plainForward)
        #expect(aborted(plainForward))
    }

    /// A peer that starts thousands of messages and never finishes them: reassembly
    /// stays within the receive window (plus one message at the cumulative point), the
    /// rest is dropped and counted.
    @Test func unfinishedMessagesStayBounded() {
        var configuration = Self.configuration()
        configuration.receiveWindow = 64 * 1024
        let pair = Self.pair(configuration, configuration)
        let base = pair.cores[1].peerCumulativeTSN
        for index in 0..<3000 {
            let chunk = SCTPChunk.iData(SCTPDataChunk(tsn: base &+ 2 &+ UInt32(index), stream: UInt16(index % 7), ssn: 0, ppid: 0,
                                                      beginning: false, ending: false, mid: UInt32(index / 7), fsn: 1,
                                                      userData: [UInt8](repeating: 9, count: 1000)))
            let packet = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: pair.cores[1].localTag, chunks: [chunk])
            pair.cores[1].handle(packet: packet.encoded, now: pair.now)
            pair.drain(1)
        }
        #expect(pair.cores[1].state == .established)
        #expect(pair.cores[1].receiveBufferedBytes <= configuration.receiveWindow)
        #expect(pair.cores[1].statistics.receiveWindowDrops > 2000)
    }
}
