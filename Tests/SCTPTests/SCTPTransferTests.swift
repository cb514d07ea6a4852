import NetTypes
import Testing
@testable import SCTP

/// Data transfer (RFC 9260 §6, §7): fragmentation, ordering, loss recovery, windows.
@Suite struct SCTPTransferTests {
    /// A deterministic message set: sizes from 1 byte to 200 KiB, contents derived from
    /// the index so that any misplaced byte shows.
    static func messages(count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = Xoshiro256(seed: seed)
        return (0..<count).map { index in
            let size = index % 10 == 0 ? 100_000 + Int(rng.next() % 100_000) : 1 + Int(rng.next() % 20_000)
            return (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
        }
    }

    /// Sends `messages` from A to B over `pair` (ordered, spread over 3 streams), as fast
    /// as the send buffer takes them, and returns what B received per stream.
    func transfer(_ messages: [[UInt8]], over pair: AssociationPair, unordered: Bool = false) -> [SCTPMessage] {
        var next = 0
        func refill() {
            while next < messages.count {
                do {
                    try pair.send(0, messages[next], stream: UInt16(next % 3), unordered: unordered)
                    next += 1
                } catch {
                    return
                }
            }
        }
        pair.onEvent = { side, event in
            if side == 1, case .message = event { refill() }
        }
        refill()
        pair.run(for: .seconds(3600)) {
            refill()
            return pair.messages(1).count == messages.count
        }
        return pair.messages(1)
    }

    func expectInOrderPerStream(_ received: [SCTPMessage], _ sent: [[UInt8]]) {
        #expect(received.count == sent.count)
        for stream in 0..<3 {
            let got = received.filter { $0.stream == stream }.map(\.bytes)
            let want = sent.enumerated().filter { $0.offset % 3 == stream }.map(\.element)
            #expect(got == want, "stream \(stream)")
        }
    }

    @Test func multiMegabyteTransferWithoutLoss() {
        let sent = Self.messages(count: 150, seed: 1)
        let pair = AssociationPair()
        #expect(pair.establish(bothConnect: true))
        let received = transfer(sent, over: pair)
        expectInOrderPerStream(received, sent)
        #expect(sent.reduce(0) { $0 + $1.count } > 3_000_000)
        #expect(pair.cores[0].statistics.retransmissions == 0)
        #expect(pair.cores[0].congestionWindow > 4 * 1200)
    }

    @Test func everyTwentiethPacketDropped() {
        let sent = Self.messages(count: 60, seed: 2)
        let pair = AssociationPair()
        #expect(pair.establish())
        pair.drop = { side, index, _ in index % 20 == 19 }
        let received = transfer(sent, over: pair)
        expectInOrderPerStream(received, sent)
        #expect(pair.cores[0].statistics.retransmissions > 0)
        #expect(pair.cores[0].statistics.fastRetransmits > 0)
    }

    @Test(arguments: [UInt64(3), 4])
    func randomLossBothWays(seed: UInt64) {
        let sent = Self.messages(count: 40, seed: seed)
        let pair = AssociationPair(seed: seed)
        #expect(pair.establish())
        pair.loss = Xoshiro256(seed: seed)
        pair.lossRate = 0.03
        let received = transfer(sent, over: pair)
        expectInOrderPerStream(received, sent)
        #expect(pair.dropped > 0)
    }

    @Test func unorderedMessagesAllArrive() {
        let sent = (0..<200).map { i in [UInt8](repeating: UInt8(i), count: 1 + i * 37 % 3000) }
        let pair = AssociationPair()
        #expect(pair.establish())
        pair.loss = Xoshiro256(seed: 9)
        pair.lossRate = 0.05
        let received = transfer(sent, over: pair, unordered: true)
        #expect(received.allSatisfy { $0.unordered })
        #expect(received.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) } == sent.sorted { $0.lexicographicallyPrecedes($1) })
        // With loss, later unordered messages overtake a lost one.
        #expect(received.map(\.bytes) != sent)
    }

    @Test func fragmentsFillPacketsUpToTheMTU() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        try pair.send(0, [UInt8](repeating: 7, count: 10_000))
        pair.run(for: .seconds(5)) { !pair.messages(1).isEmpty }
        let data = pair.packets(0).filter { $0.chunks.contains { $0.type == SCTPChunkType.data } }
        #expect(data.allSatisfy { $0.encoded.count <= 1200 })
        #expect(data.count == (10_000 + 1171) / 1172)
        #expect(pair.messages(1).first?.bytes.count == 10_000)
        // Small messages queued behind a full congestion window bundle when it opens.
        try pair.send(0, [UInt8](repeating: 8, count: 20_000))
        for _ in 0..<20 { try pair.send(0, [1, 2, 3, 4]) }
        pair.run(for: .seconds(5)) { pair.messages(1).count == 22 }
        let dataChunksPerPacket = pair.packets(0).map { $0.chunks.filter { $0.type == SCTPChunkType.data }.count }
        #expect(dataChunksPerPacket.contains { $0 > 5 })
    }

    /// §6.2: a SACK for every second DATA packet, else after the 200 ms delay.
    @Test func delayedSack() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        let sacksBefore = pair.packets(1).count
        try pair.send(0, [1])
        pair.run(for: .milliseconds(100))
        #expect(pair.packets(1).count == sacksBefore)
        pair.run(for: .milliseconds(200))
        #expect(pair.packets(1).count == sacksBefore + 1)
        #expect(pair.packets(1).last?.chunks.first?.type == SCTPChunkType.sack)
    }

    @Test func oversizedAndEmptyMessagesAreRefused() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        #expect(throws: SCTPError.messageTooLarge(size: 262_145, limit: 262_144)) {
            try pair.send(0, [UInt8](repeating: 0, count: 262_145))
        }
        #expect(throws: SCTPError.emptyMessage) { try pair.send(0, []) }
        #expect(throws: SCTPError.invalidStream(65535)) { try pair.send(0, [1], stream: 65535) }
        var small = SCTPConfiguration()
        small.sendBufferSize = 10_000
        let bounded = AssociationPair(configuration: small)
        #expect(bounded.establish())
        try bounded.send(0, [UInt8](repeating: 0, count: 9000))  // one initial window goes out
        #expect(throws: SCTPError.sendBufferFull) { try bounded.send(0, [UInt8](repeating: 0, count: 9000)) }
    }

    /// §6.1 A: a receiver whose window is full still gets one probe chunk in flight, and
    /// the transfer completes once the window reopens.
    @Test func smallReceiveWindowIsRespected() {
        var config = SCTPConfiguration()
        config.receiveWindow = 4000
        let sent = (0..<30).map { i in [UInt8](repeating: UInt8(i), count: 3000) }
        let pair = AssociationPair(configuration: config)
        #expect(pair.establish())
        let received = transfer(sent, over: pair)
        expectInOrderPerStream(received, sent)
        let windows = pair.packets(1).flatMap(\.chunks).compactMap { if case .sack(let s) = $0 { s.advertisedWindow } else { nil } }
        #expect(windows.allSatisfy { $0 <= 4000 })
    }

    /// §6.1 A: with a zero window the sender keeps one chunk in flight as a probe; the
    /// chunk at the cumulative point is always taken, so a message larger than the whole
    /// window still gets through.
    @Test func zeroWindowProbing() throws {
        var config = SCTPConfiguration()
        config.receiveWindow = 4000
        let pair = AssociationPair(configuration: config)
        #expect(pair.establish())
        try pair.send(0, (0..<20_000).map { UInt8(truncatingIfNeeded: $0) })
        pair.run(for: .seconds(30)) { !pair.messages(1).isEmpty }
        #expect(pair.messages(1).first?.bytes == (0..<20_000).map { UInt8(truncatingIfNeeded: $0) })
        let windows = pair.packets(1).flatMap(\.chunks).compactMap { if case .sack(let s) = $0 { s.advertisedWindow } else { nil } }
        #expect(windows.contains(0))
    }

    /// Unusable settings are raised to workable ones instead of looping or trapping.
    @Test func degenerateConfigurationStillWorks() throws {
        var config = SCTPConfiguration()
        config.mtu = 10
        config.streams = 0
        config.receiveWindow = -5
        let pair = AssociationPair(configuration: config)
        #expect(pair.cores[0].configuration.mtu == 256)
        #expect(pair.establish())
        try pair.send(0, [UInt8](repeating: 3, count: 5000))
        pair.run(for: .seconds(30)) { !pair.messages(1).isEmpty }
        #expect(pair.messages(1).first?.bytes.count == 5000)
        #expect(pair.sent[0].allSatisfy { $0.count <= 256 })
    }

    /// A peer streaming fragments of a message that never ends: in order, so each is at
    /// the cumulative point, yet the buffer stops at the window plus one maximum message.
    @Test func endlessMessageIsBounded() {
        var config = SCTPConfiguration()
        config.receiveWindow = 2000
        config.maxMessageSize = 3000
        let pair = AssociationPair(configuration: config)
        #expect(pair.establish())
        let base = pair.cores[1].peerCumulativeTSN
        for offset in 1...6000 {
            let chunk = SCTPDataChunk(tsn: base &+ UInt32(offset), stream: 0, ssn: 0, ppid: 53, beginning: offset == 1,
                                      ending: false, userData: [1])
            let packet = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: pair.cores[1].localTag,
                                    chunks: [.data(chunk)])
            pair.cores[1].handle(packet: packet.encoded, now: pair.now)
        }
        pair.drain(1)
        #expect(pair.cores[1].reassembly.bufferedBytes == 5000)
        #expect(pair.cores[1].statistics.receiveWindowDrops == 1000)
        #expect(pair.messages(1).isEmpty)
    }

    /// The reassembly buffer is bounded by the receive window: chunks beyond it are
    /// dropped (and retransmitted later), never buffered.
    @Test func outOfWindowChunksAreDropped() throws {
        var config = SCTPConfiguration()
        config.receiveWindow = 2000
        let pair = AssociationPair(configuration: config)
        #expect(pair.establish())
        let base = pair.cores[1].peerCumulativeTSN
        let tag = pair.cores[1].localTag
        for offset in 2...6 {
            let chunk = SCTPDataChunk(tsn: base &+ UInt32(offset), stream: 0, ssn: 0, ppid: 53, beginning: offset == 2,
                                      ending: false, userData: [UInt8](repeating: 1, count: 900))
            let packet = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: tag, chunks: [.data(chunk)])
            pair.call(1) { $0.handle(packet: packet.encoded, now: $1) }
        }
        #expect(pair.cores[1].reassembly.bufferedBytes <= 2000)
        #expect(pair.cores[1].statistics.receiveWindowDrops == 3)
    }

    /// The running sums kept per chunk match what they count at every step of a lossy
    /// transfer: `bufferedAmount` (= `queuedBytes`) the unsent rest of the queued
    /// messages, `outstandingBytes` the retransmission queue, `gapAckedChunks` its
    /// gap-acknowledged entries; all drop to zero when everything is acknowledged.
    @Test func runningSumsTrackQueueAndRetransmissionQueue() throws {
        let pair = AssociationPair()
        #expect(pair.establish(bothConnect: true))
        pair.lossRate = 0.05
        for index in 0..<40 { try pair.send(0, [UInt8](repeating: UInt8(index), count: 20_000), stream: UInt16(index % 2)) }
        var steps = 0, mismatches = 0
        while pair.messages(1).count < 40 || !pair.cores[0].outstanding.isEmpty, pair.step(until: pair.now + .seconds(60)) {
            let core = pair.cores[0]
            let unsent = core.sendQueue.lanes.reduce(0) { sum, lane in sum + lane.messages[lane.head...].reduce(0) { $0 + $1.remaining } }
            if core.bufferedAmount != unsent || core.queuedBytes != unsent { mismatches += 1 }
            if core.outstandingBytes != core.outstanding.reduce(0, { $0 + $1.size }) { mismatches += 1 }
            if core.gapAckedChunks != core.outstanding.count(where: \.acked) { mismatches += 1 }
            steps += 1
        }
        #expect(pair.messages(1).count == 40 && steps > 100 && mismatches == 0)
        #expect(pair.cores[0].bufferedAmount == 0 && pair.cores[0].outstandingBytes == 0)
        #expect(pair.cores[0].statistics.retransmissions > 0)
    }

    /// W3C's `bufferedAmount` (webrtc-pc §6.2) counts bytes `send` queued that were not
    /// yet transmitted: right after a send and its flush, before any SACK, the chunks the
    /// initial congestion window let out are no longer counted, and a message sent whole
    /// leaves nothing buffered while it is still unacknowledged.
    @Test func bufferedAmountExcludesBytesInFlight() throws {
        let pair = AssociationPair()
        #expect(pair.establish())
        try pair.send(0, [UInt8](repeating: 7, count: 1_000))
        #expect(pair.cores[0].bufferedAmount == 0)
        #expect(pair.cores[0].outstandingBytes == 1_000 && pair.cores[0].flightSize == 1_000)

        try pair.send(0, [UInt8](repeating: 8, count: 50_000))
        let core = pair.cores[0]
        let inFlight = core.outstanding.reduce(0) { $0 + $1.size }
        #expect(core.cumulativeAck &+ 1 == core.outstanding.first?.chunk.tsn, "no SACK yet")
        #expect(inFlight > 1_000 && inFlight <= core.congestionWindow + core.maxFragmentSize)
        #expect(core.bufferedAmount == 51_000 - inFlight)
        pair.run(for: .seconds(10)) { pair.messages(1).count == 2 }
        #expect(pair.cores[0].bufferedAmount == 0)
    }

    /// The send buffer limit covers the queue and the retransmission queue together:
    /// bytes in flight no longer count in `bufferedAmount` but still hold memory, so a
    /// send that fits beside the queued bytes alone is refused while they are
    /// unacknowledged, and taken once they are.
    @Test func sendBufferLimitCountsBytesInFlight() throws {
        var small = SCTPConfiguration()
        small.sendBufferSize = 10_000
        let pair = AssociationPair(configuration: small)
        #expect(pair.establish())
        try pair.send(0, [UInt8](repeating: 0, count: 9_000))
        let queued = pair.cores[0].bufferedAmount
        #expect(queued < 9_000 && pair.cores[0].outstandingBytes == 9_000 - queued)
        let refused = [UInt8](repeating: 1, count: 10_000 - queued - 1)
        #expect(throws: SCTPError.sendBufferFull) { try pair.send(0, refused) }
        pair.run(for: .seconds(10)) { pair.messages(1).count == 1 && pair.cores[0].outstanding.isEmpty }
        try pair.send(0, refused)
        pair.run(for: .seconds(10)) { pair.messages(1).count == 2 }
        #expect(pair.messages(1).last?.bytes == refused)
    }
}
