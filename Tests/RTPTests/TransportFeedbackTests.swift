import NetTypes
import Testing
@testable import RTP

@Suite struct TransportFeedbackTests {
    /// Base 10, four packets: received (+1 ms, small), lost, received (+2 ms, small),
    /// received (−1 ms, large). One 2-bit status vector chunk 11|01 00 01 10 00 00 00 =
    /// 0xD180, deltas 04 08 FFFC, then two bytes of RFC 3550 padding (P bit, count 2).
    static let bytes: [UInt8] = [0xAF, 0xCD, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2,
                                 0x00, 0x0A, 0x00, 0x04, 0x00, 0x00, 0x10, 0x07,
                                 0xD1, 0x80, 0x04, 0x08, 0xFF, 0xFC, 0x00, 0x02]
    static let feedback = TransportFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequence: 10, referenceTime: 16, feedbackCount: 7,
                                            statuses: [.received(delta: 4), .notReceived, .received(delta: 8), .received(delta: -4)])

    @Test func twoBitVectorLayout() throws {
        #expect(RTCPPacket.transportFeedback(Self.feedback).encoded() == Self.bytes)
        #expect(try RTCPPacket.decodeCompound(Self.bytes) == [.transportFeedback(Self.feedback)])
    }

    @Test func arrivalOffsetsAddDeltasToTheReferenceTime() {
        let offsets = Self.feedback.arrivalOffsets(referenceTime: 16)
        #expect(offsets == [.milliseconds(1025), nil, .milliseconds(1027), .milliseconds(1026)])
    }

    /// The draft's §3.1.3 example: a run of 221 packets received with small deltas.
    @Test func runLengthChunk() throws {
        let feedback = TransportFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequence: 0, referenceTime: 0, feedbackCount: 0,
                                         statuses: Array(repeating: .received(delta: 1), count: 221))
        let bytes = RTCPPacket.transportFeedback(feedback).encoded()
        #expect(Array(bytes[20...21]) == [0x20, 0xDD])
        #expect(bytes.count == 20 + 2 + 221 + 1)
        #expect(try RTCPPacket.decodeCompound(bytes) == [.transportFeedback(feedback)])
    }

    /// The draft's §3.1.4 example: 1-bit vector 1|0|0 1 1 1 1 1 0 0 0 1 1 1 0 0 = 0x9F1C.
    @Test func oneBitVectorChunk() throws {
        let pattern = [0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0]
        let statuses: [TransportFeedback.Status] = pattern.map { $0 == 1 ? .received(delta: 2) : .notReceived }
        let feedback = TransportFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequence: 65530, referenceTime: 0xFF_FFFF, feedbackCount: 255,
                                         statuses: statuses)
        let bytes = RTCPPacket.transportFeedback(feedback).encoded()
        #expect(Array(bytes[20...21]) == [0x9F, 0x1C])
        #expect(try RTCPPacket.decodeCompound(bytes) == [.transportFeedback(feedback)])
    }

    @Test func randomFeedbackRoundTrips() throws {
        var rng = Xoshiro256(seed: 11)
        for _ in 0..<3_000 {
            let count = RTPTestData.int(&rng, 0...300)
            let runny = rng.chance(0.5)
            var statuses: [TransportFeedback.Status] = []
            for _ in 0..<count {
                if runny, let last = statuses.last, rng.chance(0.9) { statuses.append(last); continue }
                switch rng.next() % 3 {
                case 0: statuses.append(.notReceived)
                case 1: statuses.append(.received(delta: Int16(rng.next() % 256)))
                default: statuses.append(.received(delta: Int16(truncatingIfNeeded: rng.next())))
                }
            }
            let feedback = TransportFeedback(senderSSRC: UInt32(truncatingIfNeeded: rng.next()), mediaSSRC: 3,
                                             baseSequence: UInt16(truncatingIfNeeded: rng.next()),
                                             referenceTime: UInt32(truncatingIfNeeded: rng.next()),
                                             feedbackCount: UInt8(truncatingIfNeeded: rng.next()), statuses: statuses)
            let bytes = RTCPPacket.transportFeedback(feedback).encoded()
            #expect(bytes.count % 4 == 0)
            #expect(try RTCPPacket.decodeCompound(bytes) == [.transportFeedback(feedback)])
        }
    }

    @Test func decodersNeverTrapOnRandomOrMutatedBytes() {
        var rng = Xoshiro256(seed: 99)
        let seeds: [[UInt8]] = [Self.bytes, RTPPacketTests.oneByteBytes,
                                RTCPPacket.encodeCompound([.senderReport(SenderReport(ssrc: 1, ntpTimestamp: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5,
                                                                                       reportBlocks: [ReportBlock(ssrc: 6)])),
                                                           .sourceDescription(SourceDescription(ssrc: 1, cname: "x")),
                                                           .goodbye(Goodbye(ssrcs: [1], reason: "bye"))]),
                                FeedbackMessageTests.nackBytes, FeedbackMessageTests.pliBytes, FeedbackMessageTests.firBytes]
        var decoded = 0
        for i in 0..<60_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = RTPTestData.bytes(&rng, count: RTPTestData.int(&rng, 0...64))
                if rng.chance(0.5), !bytes.isEmpty { bytes[0] = 0x80 | bytes[0] & 0x3F }
            } else {
                bytes = seeds[i % seeds.count]
                for _ in 0..<RTPTestData.int(&rng, 1...4) {
                    let at = RTPTestData.int(&rng, 0...(bytes.count - 1))
                    bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.chance(0.3) { bytes.removeLast(RTPTestData.int(&rng, 0...bytes.count)) }
            }
            if (try? RTCPPacket.decodeCompound(bytes)) != nil { decoded += 1 }
            if (try? RTPPacket(decoding: bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}
