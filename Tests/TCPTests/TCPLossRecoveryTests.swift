import NetTypes
import Testing
@testable import TCP

@Suite struct TCPLossRecoveryTests {
    static func plainConfig(_ algorithm: TCPCongestionAlgorithm = .newReno) -> TCPConfiguration {
        var config = TCPConfiguration()
        config.sack = false
        config.timestamps = false
        config.congestionControl = algorithm
        return config
    }

    /// One lost segment out of a window: the third duplicate ACK triggers exactly one
    /// retransmission of exactly that segment, one RTT after it was sent (RFC 5681 §3.2).
    @Test func fastRetransmitOfASingleLoss() {
        let pair = TCPPair(a: Self.plainConfig())
        pair.handshake()
        let start = pair.now
        let lost = pair.a.sndNxt + 2 * 1460
        pair.drop(from: .a) { $0.sequenceNumber == lost && !$0.payload.isEmpty }
        let data = pattern(30 * 1460)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(2))
        #expect(pair.read[.b] == data)
        let resent = pair.dataSegments(from: .a).filter { $0.segment.sequenceNumber == lost }
        #expect(resent.map(\.time) == [start, start + .milliseconds(100)])
        #expect(resent.map(\.dropped) == [true, false])
        #expect(pair.a.statistics.retransmissions == 1)
        #expect(pair.a.statistics.fastRetransmits == 1)
        #expect(pair.a.statistics.timeouts == 0)
        // The window halved: ssthresh = FlightSize / 2 at the third duplicate ACK
        // (14 segments sent — 10 initial, 4 on the first ACK — less the 2 acknowledged).
        #expect(pair.a.congestion.slowStartThreshold == 6 * 1460)
    }

    /// Two losses in one window without SACK: NewReno's partial ACK retransmits the
    /// second hole at once (RFC 6582 §3.2 step 5), no timeout.
    @Test func newRenoPartialAckRetransmitsTheNextHole() {
        let pair = TCPPair(a: Self.plainConfig())
        pair.handshake()
        let first = pair.a.sndNxt + 2 * 1460
        let second = pair.a.sndNxt + 6 * 1460
        pair.drop(from: .a) { $0.sequenceNumber == first && !$0.payload.isEmpty }
        pair.drop(from: .a) { $0.sequenceNumber == second && !$0.payload.isEmpty }
        let start = pair.now
        let data = pattern(30 * 1460)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(2))
        #expect(pair.read[.b] == data)
        let resent = pair.dataSegments(from: .a).filter { !$0.dropped && ($0.segment.sequenceNumber == first || $0.segment.sequenceNumber == second) }
        #expect(resent.map(\.segment.sequenceNumber) == [first, second])
        #expect(resent.map(\.time) == [start + .milliseconds(100), start + .milliseconds(200)])
        #expect(pair.a.statistics.timeouts == 0)
        #expect(pair.a.statistics.fastRetransmits == 1)
    }

    /// The last segment lost repeatedly: the RTO (RFC 6298) resends it after 1 s, then
    /// 2 s, then 4 s (exponential backoff); the minimum RTO clamps SRTT + 4·RTTVAR.
    @Test func lastSegmentRecoveredByRTOWithBackoff() {
        let pair = TCPPair(a: Self.plainConfig())
        pair.handshake()
        let start = pair.now
        let last = pair.a.sndNxt + 2 * 1460
        pair.drop(from: .a, count: 3) { $0.sequenceNumber == last && !$0.payload.isEmpty }
        let data = pattern(3 * 1460)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(10))
        #expect(pair.read[.b] == data)
        let sends = pair.dataSegments(from: .a).filter { $0.segment.sequenceNumber == last }.map { $0.time - start }
        // ACK of the first two at +100 ms restarts the timer: 1 s, then doubling.
        let expected: [Duration] = [.zero, .milliseconds(1100), .milliseconds(3100), .milliseconds(7100)]
        #expect(sends == expected)
        #expect(pair.a.statistics.timeouts == 3)
        // Karn: the ACK covers only a retransmitted segment, no sample, the backoff stays.
        #expect(pair.a.rtt.backoff == 3)
        #expect(pair.a.rtt.timeout == .seconds(8))
    }

    /// With Linux's 200 ms minimum the RTO is SRTT + 4·RTTVAR = 100 + 4·37.5 = 250 ms.
    @Test func linuxMinimumRTO() {
        var config = Self.plainConfig()
        config.minimumRTO = .milliseconds(200)
        let pair = TCPPair(a: config)
        pair.handshake()
        let start = pair.now
        let last = pair.a.sndNxt + 2 * 1460
        pair.drop(from: .a, count: 2) { $0.sequenceNumber == last && !$0.payload.isEmpty }
        pair.call(.a) { core, now in core.send(pattern(3 * 1460), now: now) }
        pair.run(for: .seconds(5))
        let sends = pair.dataSegments(from: .a).filter { $0.segment.sequenceNumber == last }.map { $0.time - start }
        let expected: [Duration] = [.zero, .milliseconds(350), .milliseconds(850)]
        #expect(sends == expected)
        #expect(pair.a.rtt.smoothedRTT == .milliseconds(100))
        #expect(pair.a.rtt.rttVariation == .microseconds(37_500))
    }

    /// Two holes in one window with SACK: the receiver reports both blocks (the most
    /// recent first), the sender's scoreboard holds them and each hole is retransmitted
    /// exactly once (RFC 6675), without a timeout.
    @Test func sackRecoversTwoHoles() {
        var config = TCPConfiguration()
        config.congestionControl = .newReno
        let pair = TCPPair(a: config)
        pair.handshake()
        let mss = pair.a.sendMSS
        #expect(mss == 1448)
        let base = pair.a.sndNxt
        let first = base + 2 * mss
        let second = base + 5 * mss
        pair.drop(from: .a) { $0.sequenceNumber == first && !$0.payload.isEmpty }
        pair.drop(from: .a) { $0.sequenceNumber == second && !$0.payload.isEmpty }
        let data = pattern(10 * mss)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .milliseconds(99))
        // The receiver's last ACK before any retransmission: two SACK blocks.
        let lastAck = pair.log.last { $0.from == .b }!.segment
        #expect(lastAck.acknowledgmentNumber == first)
        #expect(lastAck.sackBlocks == [TCPSACKBlock(start: second + mss, end: base + 10 * mss),
                                       TCPSACKBlock(start: first + mss, end: second)])
        pair.run(for: .milliseconds(2))
        #expect(pair.a.scoreboard.blocks == [TCPSACKBlock(start: first + mss, end: second),
                                             TCPSACKBlock(start: second + mss, end: base + 10 * mss)])
        pair.run(for: .seconds(2))
        #expect(pair.read[.b] == data)
        let resent = pair.dataSegments(from: .a).filter { !$0.dropped && ($0.segment.sequenceNumber == first || $0.segment.sequenceNumber == second) }
        #expect(resent.map(\.segment.sequenceNumber) == [first, second])
        #expect(pair.a.statistics.retransmissions == 2)
        #expect(pair.a.statistics.timeouts == 0)
        #expect(pair.a.scoreboard.isEmpty)
    }

    /// The scoreboard itself: merging, IsLost (RFC 6675 §4), cumulative ACK trimming.
    @Test func sackScoreboard() {
        var board = SACKScoreboard()
        let una = TCPSequence(0xFFFF_F000)
        let high = una + 20_000
        board.add(TCPSACKBlock(start: una + 3000, end: una + 4000), cumulativeAck: una, highData: high)
        board.add(TCPSACKBlock(start: una + 6000, end: una + 7000), cumulativeAck: una, highData: high)
        board.add(TCPSACKBlock(start: una + 4000, end: una + 5000), cumulativeAck: una, highData: high)  // touches the first
        board.add(TCPSACKBlock(start: una - 500, end: una), cumulativeAck: una, highData: high)          // old: ignored
        #expect(board.blocks == [TCPSACKBlock(start: una + 3000, end: una + 5000), TCPSACKBlock(start: una + 6000, end: una + 7000)])
        #expect(board.sackedBytes(above: una) == 3000)
        #expect(board.isLost(una, mss: 1000, dupThreshold: 3))          // 3000 > 2·1000 SACKed above
        #expect(!board.isLost(una + 5000, mss: 1000, dupThreshold: 3))  // only 1000 above
        #expect(board.isSACKed(una + 3500) && !board.isSACKed(una + 5500))
        board.acknowledge(upTo: una + 4500)
        #expect(board.blocks.first == TCPSACKBlock(start: una + 4500, end: una + 5000))
        #expect(board.highestSACKed == una + 7000)
        board.clear()
        #expect(board.isEmpty)
    }

    /// The scoreboard's in-place merges against a model of SACKed octets: blocks are the
    /// maximal runs above the cumulative ACK, clipped to what was sent.
    @Test func sackScoreboardMatchesAModel() {
        var random = Xoshiro256(seed: 9)
        for _ in 0..<100 {
            let base = TCPSequence(UInt32(truncatingIfNeeded: random.next()))
            var board = SACKScoreboard()
            var sacked = [Bool](repeating: false, count: 5000)
            var ack = 0
            for _ in 0..<60 {
                let high = min(5000, ack + 500 + Int(random.next() % 3000))
                if random.next() % 4 == 0 {
                    ack = min(high, ack + Int(random.next() % 800))
                    board.acknowledge(upTo: base + ack)
                } else {
                    let start = Int(random.next() % 5000)
                    let end = min(5000, start + 1 + Int(random.next() % 600))
                    board.add(TCPSACKBlock(start: base + start, end: base + end), cumulativeAck: base + ack, highData: base + high)
                    if start < end { for i in max(start, ack)..<max(min(end, high), max(start, ack)) { sacked[i] = true } }
                }
                var expected: [TCPSACKBlock] = []
                var i = ack
                while i < 5000 {
                    guard sacked[i] else { i += 1; continue }
                    let start = i
                    while i < 5000 && sacked[i] { i += 1 }
                    expected.append(TCPSACKBlock(start: base + start, end: base + i))
                }
                #expect(board.blocks == expected)
            }
        }
    }

    /// RFC 6675 §4 SetPipe, hole by hole with a running IsLost, against the rule applied
    /// segment by segment with `SACKScoreboard.isLost` (segments cut at SMSS from the
    /// start of each hole, as the sender cuts its retransmissions).
    @Test func pipeMatchesSetPipeSegmentBySegment() {
        var random = Xoshiro256(seed: 5)
        for _ in 0..<300 {
            var connection = TCPConnection(local: Endpoint(.v4(IPv4Address(0x0A00_0001)), 1),
                                           remote: Endpoint(.v4(IPv4Address(0x0A00_0002)), 2), rng: Xoshiro256(seed: 1))
            let una = TCPSequence(UInt32(truncatingIfNeeded: random.next()))  // any place, wrap included
            let mss = 100 + Int(random.next() % 1400)
            let span = Int(random.next() % UInt64(40 * mss)) + 1
            connection.sndUna = una
            connection.sndMax = una + span
            connection.sendMSS = mss
            connection.highRxt = una + Int(random.next() % UInt64(span + 1))
            for _ in 0..<Int(random.next() % 12) {
                let start = Int(random.next() % UInt64(span))
                let length = 1 + Int(random.next() % UInt64(3 * mss))
                connection.scoreboard.add(TCPSACKBlock(start: una + start, end: una + start + length),
                                          cumulativeAck: una, highData: una + span)
            }
            var expected = 0
            var s = una
            let board = connection.scoreboard
            while s < connection.sndMax {
                if let end = board.sackedEnd(containing: s) { s = end; continue }
                let holeEnd = min(board.nextSACKedStart(after: s) ?? connection.sndMax, connection.sndMax)
                var segment = s
                while segment < holeEnd {
                    let length = min(mss, holeEnd - segment)
                    if !board.isLost(segment, mss: mss, dupThreshold: connection.configuration.duplicateAckThreshold) { expected += length }
                    if segment < connection.highRxt { expected += length }
                    segment = segment + length
                }
                s = holeEnd
            }
            #expect(connection.pipe() == expected)
        }
    }
}
