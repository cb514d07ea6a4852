import NetTypes
import Testing
@testable import RTP

/// REMB (draft-alvestrand-rmcat-remb-03 §2.2): the wire layout, the exponent/mantissa
/// rate, typed errors, other application layer feedback left alone, and mutated inputs.
@Suite struct ReceiverEstimatedMaxBitrateTests {
    /// libwebrtc's REMB test vector (remb_unittest.cc): sender 0x12345678, three SSRCs,
    /// 522,022 bps = 0x3FB93 × 2^1: exponent 1 and mantissa's top bits 11 give 0x07, then
    /// 0xFB93. 32 bytes: length field 7.
    static let bytes: [UInt8] = [0x8F, 0xCE, 0x00, 0x07, 0x12, 0x34, 0x56, 0x78,
                                 0x00, 0x00, 0x00, 0x00, 0x52, 0x45, 0x4D, 0x42,
                                 0x03, 0x07, 0xFB, 0x93, 0x23, 0x45, 0x67, 0x89,
                                 0x2B, 0xCD, 0xEF, 0x01, 0x56, 0x78, 0x9A, 0xBC]
    static let remb = ReceiverEstimatedMaxBitrate(senderSSRC: 0x1234_5678, bitrate: 0x3FB93 * 2,
                                                  ssrcs: [0x2345_6789, 0x2BCD_EF01, 0x5678_9ABC])

    @Test func layout() throws {
        #expect(Self.remb.bitrate == 522_022)
        #expect(RTCPPacket.receiverEstimatedMaxBitrate(Self.remb).encoded() == Self.bytes)
        #expect(try RTCPPacket.decodeCompound(Self.bytes) == [.receiverEstimatedMaxBitrate(Self.remb)])
    }

    /// 1 Mbps = 0xF4240 needs 20 bits: mantissa 250,000 = 0x3D090 with exponent 2, no
    /// SSRC. Rates that need more than 18 bits lose their low bits, as in libwebrtc.
    @Test func exponentAndMantissa() throws {
        let remb = ReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 1_000_000, ssrcs: [])
        let bytes = RTCPPacket.receiverEstimatedMaxBitrate(remb).encoded()
        #expect(bytes == [0x8F, 0xCE, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                          0x52, 0x45, 0x4D, 0x42, 0x00, 0x0B, 0xD0, 0x90])
        #expect(remb.encodedBitrate == 1_000_000)
        let odd = ReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 1_000_001, ssrcs: [])
        #expect(odd.encodedBitrate == 1_000_000)
        let huge = ReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 0x3FB93 << 40, ssrcs: [7])
        #expect(try RTCPPacket.decodeCompound(RTCPPacket.receiverEstimatedMaxBitrate(huge).encoded()) == [.receiverEstimatedMaxBitrate(huge)])
        var rng = Xoshiro256(seed: 5)
        for _ in 0..<2000 {
            let bitrate = rng.next() >> (rng.next() % 64)
            let remb = ReceiverEstimatedMaxBitrate(senderSSRC: UInt32(truncatingIfNeeded: rng.next()), bitrate: bitrate,
                                                   ssrcs: (0..<Int(rng.next() % 4)).map { _ in UInt32(truncatingIfNeeded: rng.next()) })
            let decoded = try RTCPPacket.decodeCompound(RTCPPacket.receiverEstimatedMaxBitrate(remb).encoded())
            var expected = remb
            expected.bitrate = remb.encodedBitrate
            #expect(decoded == [.receiverEstimatedMaxBitrate(expected)])
            #expect(bitrate - remb.encodedBitrate < max(bitrate >> 17, 1))
        }
    }

    @Test func malformedMessagesAreTypedErrors() {
        // Two SSRCs announced, three present.
        var count = Self.bytes
        count[16] = 2
        #expect(throws: RTPError.invalidREMB("2 SSRC(s) announced, 12 byte(s) follow")) { try RTCPPacket.decodeCompound(count) }
        // Exponent 63 with an 18-bit mantissa does not fit 64 bits.
        var overflow = Self.bytes
        overflow[17] = 0xFF
        #expect(throws: RTPError.invalidREMB("bitrate 261011 × 2^63 overflows 64 bits")) { try RTCPPacket.decodeCompound(overflow) }
        // Too short to hold the rate.
        let short: [UInt8] = [0x8F, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42]
        #expect(throws: RTPError.self) { try RTCPPacket.decodeCompound(short) }
    }

    /// Application layer feedback that is not REMB (another identifier) stays `.other`,
    /// byte for byte.
    @Test func otherApplicationFeedbackIsKept() throws {
        var other = Self.bytes
        other[12...15] = [0x41, 0x42, 0x43, 0x44]
        let decoded = try RTCPPacket.decodeCompound(other)
        #expect(decoded == [.other(count: 15, packetType: 206, body: Array(other[4...]))])
        #expect(RTCPPacket.encodeCompound(decoded) == other)
    }

    /// 20,000 mutations of the vector: never a trap; whatever decodes re-encodes to bytes
    /// that decode the same, and every decoded rate is its own encoding.
    @Test func mutatedInputsNeverTrap() throws {
        var rng = Xoshiro256(seed: 15)
        var rembs = 0
        for _ in 0..<20_000 {
            var bytes = Self.bytes
            for _ in 0..<Int(rng.next() % 4 + 1) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            if rng.next() % 4 == 0 { bytes.removeLast(Int(rng.next() % UInt64(bytes.count))) }
            guard let packets = try? RTCPPacket.decodeCompound(bytes) else { continue }
            #expect(try RTCPPacket.decodeCompound(RTCPPacket.encodeCompound(packets)) == packets)
            for case .receiverEstimatedMaxBitrate(let remb) in packets {
                rembs += 1
                #expect(remb.encodedBitrate == remb.bitrate)
            }
        }
        #expect(rembs > 1000)
    }
}
