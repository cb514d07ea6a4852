import NetTypes
import Testing
@testable import TCP

/// ECN in the TCP core (RFC 3168 §6.1): the SYN exchange, ECT(0) on new data only, the
/// receiver's ECE until CWR, and the sender's one reduction per window without a
/// retransmission.
@Suite struct TCPECNTests {
    static func config(ecn: Bool) -> TCPConfiguration {
        var config = TCPConfiguration()
        config.ecn = ecn
        config.congestionControl = .newReno
        return config
    }

    @Test func bothEndsWillingNegotiateECN() {
        let pair = TCPPair(a: Self.config(ecn: true))
        pair.handshake()
        let syn = pair.log.first { $0.segment.flags.contains(.syn) && !$0.segment.flags.contains(.ack) }!
        let synAck = pair.log.first { $0.segment.flags.contains([.syn, .ack]) }!
        #expect(syn.segment.flags.contains([.ece, .cwr]))
        #expect(synAck.segment.flags.contains(.ece) && !synAck.segment.flags.contains(.cwr))
        #expect(pair.a.ecnEnabled && pair.b.ecnEnabled)
        // RFC 3168 §6.1.1: SYN and SYN-ACK themselves are Not-ECT.
        #expect(syn.ecn == .notECT && synAck.ecn == .notECT)
    }

    @Test(arguments: [(true, false), (false, true)])
    func oneEndUnwillingMeansNoECN(a: Bool, b: Bool) {
        let pair = TCPPair(a: Self.config(ecn: a), b: Self.config(ecn: b))
        pair.handshake()
        let data = pattern(20 * 1460)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(2))
        #expect(!pair.a.ecnEnabled && !pair.b.ecnEnabled)
        #expect(pair.log.allSatisfy { $0.ecn == .notECT })
        #expect(pair.log.filter { !$0.segment.flags.contains(.syn) }.allSatisfy { $0.segment.flags.isDisjoint(with: [.ece, .cwr]) })
        #expect(pair.read[.b] == data)
    }

    /// One CE mark: B echoes ECE until A's CWR arrives, A halves its window once, sends
    /// CWR on one new segment and retransmits nothing.
    @Test func aCEMarkHalvesTheWindowOnceWithoutARetransmission() {
        let pair = TCPPair(a: Self.config(ecn: true))
        pair.handshake()
        let marked = pair.a.sndNxt + 4 * pair.a.sendMSS
        pair.markCE(from: .a) { $0.sequenceNumber == marked }
        let data = pattern(60 * 1460)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(3))
        #expect(pair.read[.b] == data)
        #expect(pair.b.statistics.ceReceived == 1)
        #expect(pair.a.statistics.ecnReductions == 1)
        #expect(pair.a.statistics.retransmissions == 0)
        #expect(pair.a.congestion.slowStartThreshold < Int.max)
        // Data went ECT(0), pure ACKs Not-ECT.
        let dataSegments = pair.dataSegments(from: .a)
        #expect(dataSegments.allSatisfy { $0.ecn == .ect0 })
        #expect(pair.log.filter { $0.from == .b }.allSatisfy { $0.ecn == .notECT })
        // CWR once, and ECE on B's ACKs from the mark until CWR arrived, not after.
        let cwr = pair.log.filter { $0.from == .a && $0.segment.flags.contains(.cwr) && !$0.segment.flags.contains(.syn) }
        #expect(cwr.count == 1)
        let echoes = pair.log.filter { $0.from == .b && $0.segment.flags.contains(.ece) && !$0.segment.flags.contains(.syn) }
        #expect(!echoes.isEmpty)
        #expect(echoes.allSatisfy { $0.time <= cwr[0].time + pair.delay })
        #expect(pair.log.contains { $0.from == .b && $0.time > cwr[0].time + pair.delay && !$0.segment.flags.contains(.ece) })
    }

    /// Marks on every segment of a window cause one reduction per window (§6.1.2).
    @Test func marksWithinOneWindowReduceOnce() {
        let pair = TCPPair(a: Self.config(ecn: true))
        pair.handshake()
        let first = pair.a.sndNxt
        pair.markCE(from: .a, count: 5) { $0.sequenceNumber >= first && $0.sequenceNumber < first + 5 * pair.a.sendMSS }
        let data = pattern(10 * 1460)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(2))
        #expect(pair.read[.b] == data)
        #expect(pair.b.statistics.ceReceived == 5)
        #expect(pair.a.statistics.ecnReductions == 1)
    }
}
