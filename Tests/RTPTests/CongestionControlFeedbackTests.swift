import NetTypes
import Testing
@testable import RTP

/// RFC 8888 feedback: the wire layout of §3.1, typed errors for malformed packets, and
/// the receiver's builder with the sender's history.
@Suite struct CongestionControlFeedbackTests {
    /// One block of three metrics at begin_seq 0xFFFE (the run wraps): received ECT(0)
    /// 5/1024 s before the report (1 10 0000000000101 = 0xC005), lost (0x0000), received
    /// CE over-range (1 11 1111111111110 = 0xFFFE); an odd count, so 16 zero bits follow;
    /// then the report timestamp. 28 bytes: length field 6.
    static let bytes: [UInt8] = [0x8B, 0xCD, 0x00, 0x06, 0x01, 0x02, 0x03, 0x04,
                                 0x0A, 0x0B, 0x0C, 0x0D, 0xFF, 0xFE, 0x00, 0x03,
                                 0xC0, 0x05, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00,
                                 0x12, 0x34, 0x56, 0x78]
    static let feedback = CongestionControlFeedback(
        senderSSRC: 0x0102_0304,
        blocks: [.init(ssrc: 0x0A0B_0C0D, beginSequence: 0xFFFE,
                       metrics: [.received(ecn: .ect0, offset: 5), .notReceived, .received(ecn: .ce, offset: 0x1FFE)])],
        reportTimestamp: 0x1234_5678)

    @Test func rfc8888Layout() throws {
        #expect(RTCPPacket.congestionFeedback(Self.feedback).encoded() == Self.bytes)
        #expect(try RTCPPacket.decodeCompound(Self.bytes) == [.congestionFeedback(Self.feedback)])
    }

    @Test func evenCountsNeedNoPaddingAndBlocksFollowEachOther() throws {
        let feedback = CongestionControlFeedback(senderSSRC: 9, blocks: [
            .init(ssrc: 1, beginSequence: 7, metrics: [.received(ecn: .notECT, offset: 0), .received(ecn: .ect1, offset: 0x1FFF)]),
            .init(ssrc: 2, beginSequence: 0, metrics: []),
        ], reportTimestamp: 1)
        let bytes = RTCPPacket.congestionFeedback(feedback).encoded()
        // header 4 + sender 4 + (8 + 4) + 8 + timestamp 4
        #expect(bytes.count == 32)
        #expect(Array(bytes[16..<20]) == [0x80, 0x00, 0xBF, 0xFF])
        #expect(try RTCPPacket.decodeCompound(bytes) == [.congestionFeedback(feedback)])
    }

    /// A lost packet's ECN and offset bits are ignored on receipt (RFC 8888 §3.1).
    @Test func lostMetricBitsAreIgnored() throws {
        var bytes = Self.bytes
        bytes[18] = 0x7F; bytes[19] = 0xFF
        #expect(try RTCPPacket.decodeCompound(bytes) == [.congestionFeedback(Self.feedback)])
    }

    @Test func malformedPacketsThrowTypedErrors() {
        func decode(_ bytes: [UInt8]) -> RTPError? {
            do { _ = try RTCPPacket.decodeCompound(bytes); return nil } catch { return error }
        }
        // num_reports 3 but the packet ends before the metrics and timestamp.
        var overrun = Self.bytes
        overrun[15] = 0x09
        #expect(decode(overrun) == .invalidCongestionFeedback("num_reports 9 overruns the packet"))
        var tooMany = Self.bytes
        tooMany[14] = 0x40; tooMany[15] = 0x01
        #expect(decode(tooMany) == .invalidCongestionFeedback("num_reports 16385 exceeds 16384"))
        // Only the sender SSRC: no report timestamp.
        #expect(decode([0x8B, 0xCD, 0x00, 0x01, 0, 0, 0, 1]) == .invalidCongestionFeedback("0 byte(s) where the report timestamp should be"))
        // A block header and nothing after it: the timestamp would be inside the block.
        #expect(decode([0x8B, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0])
                == .invalidCongestionFeedback("num_reports 0 overruns the packet"))
        // The header's length runs past the datagram.
        #expect(decode(Array(Self.bytes.prefix(20))) == .truncated(offset: 4, needed: 24))
    }
}

/// The RFC 8888 builder at the receiver and the sender's history: what the sender learns
/// (losses, arrival times to 1/1024 s, ECN marks) must match what happened on the wire.
@Suite struct CongestionFeedbackLoopTests {
    struct Loop {
        var history = SentPacketHistory()
        var builder = CongestionFeedbackBuilder(senderSSRC: 77)
        var results: [PacketResult] = []
        var rtpSequences: [UInt32: UInt16] = [1: 65_530, 2: 100]

        /// `count` packets alternating between SSRCs 1 and 2, `gap` apart.
        mutating func send(_ count: Int, from start: Instant, every gap: Duration) -> [SentPacket] {
            (0..<count).map { i in
                let ssrc: UInt32 = i % 2 == 0 ? 1 : 2
                let rtp = rtpSequences[ssrc]!
                rtpSequences[ssrc] = rtp &+ 1
                let packet = SentPacket(sequence: history.nextSequence, size: 1000, sendTime: start + gap * Int64(i),
                                        ssrc: ssrc, rtpSequence: rtp)
                history.add(packet)
                return packet
            }
        }

        mutating func deliver(_ packet: SentPacket, at arrival: Instant, ecn: ECNCodepoint = .ect0) {
            builder.record(ssrc: packet.ssrc, sequence: packet.rtpSequence, arrival: arrival, ecn: ecn)
        }

        mutating func feedback(now: Instant) {
            guard let report = builder.build(now: now) else { return }
            let decoded = try! RTCPPacket.decodeCompound(RTCPPacket.congestionFeedback(report).encoded())
            guard case .congestionFeedback(let fb) = decoded[0] else { fatalError() }
            results += history.results(for: fb)
        }
    }

    @Test func lossReorderMarksAndWraparound() {
        var loop = Loop()
        let sent = loop.send(60, from: .zero + .seconds(3), every: .milliseconds(2))
        var delivered: [(SentPacket, Instant)] = []
        for (i, p) in sent.enumerated() where i % 7 != 4 {
            delivered.append((p, p.sendTime + .milliseconds(30) + .microseconds(Int64(i * 53 % 700))))
        }
        delivered.swapAt(10, 12)   // reordering within SSRC 1
        for (i, (p, arrival)) in delivered.enumerated() {
            loop.deliver(p, at: arrival, ecn: i % 5 == 0 ? .ce : .ect0)
            if i % 16 == 15 { loop.feedback(now: arrival + .milliseconds(3)) }
        }
        loop.feedback(now: .zero + .seconds(4))
        #expect(!loop.builder.hasPending)
        let received = loop.results.filter(\.isReceived)
        let lost = loop.results.filter { !$0.isReceived }
        #expect(received.count == delivered.count)
        #expect(Set(lost.map(\.sent.sequence)) == Set(sent.indices.filter { $0 % 7 == 4 }.map { sent[$0].sequence }))
        let marks = Set(delivered.indices.filter { $0 % 5 == 0 }.map { delivered[$0].0.sequence })
        #expect(Set(received.filter { $0.ecn == .ce }.map(\.sent.sequence)) == marks)
        #expect(received.allSatisfy { $0.ecn == .ce || $0.ecn == .ect0 })
        #expect(loop.builder.congestionExperienced == marks.count)
        // Arrival differences survive the 1/1024 s quantization.
        let truth = Dictionary(uniqueKeysWithValues: delivered.map { ($0.0.sequence, $0.1) })
        let first = received[0]
        for r in received {
            let measured = r.receiveTime! - first.receiveTime!
            let actual = truth[r.sent.sequence]! - truth[first.sent.sequence]!
            #expect(abs((measured - actual).nanoseconds) < 2_000_000)
        }
        #expect(loop.history.unknownStatuses == 0)
    }

    @Test func lateArrivalTurnsALossIntoAReception() {
        var loop = Loop()
        let sent = loop.send(6, from: .zero, every: .milliseconds(5))
        for p in sent where p.sequence != 2 { loop.deliver(p, at: p.sendTime + .milliseconds(30)) }
        loop.feedback(now: .zero + .milliseconds(60))
        #expect(loop.results.map(\.isReceived) == [true, true, false, true, true, true])
        loop.deliver(sent[2], at: .zero + .milliseconds(70))
        loop.deliver(sent[2], at: .zero + .milliseconds(71))
        #expect(loop.builder.duplicates == 1)
        loop.feedback(now: .zero + .milliseconds(100))
        #expect(loop.results.count == 7)
        #expect(loop.results[6].sent.sequence == 2 && loop.results[6].isReceived)
        #expect(loop.builder.build(now: .zero + .milliseconds(150)) == nil)
    }

    /// Arrivals 8190/1024 s or more before the report are over-range: their packets stay
    /// unreported rather than get a wrong time.
    @Test func overRangeOffsetsLeavePacketsUnreported() {
        var loop = Loop()
        let sent = loop.send(2, from: .zero, every: .seconds(9))
        for p in sent { loop.deliver(p, at: p.sendTime + .milliseconds(20)) }
        loop.feedback(now: .zero + .seconds(9) + .milliseconds(40))
        #expect(loop.results.map(\.sent.sequence) == [1])
    }
}
