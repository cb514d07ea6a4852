import NetTypes
import Testing
@testable import RTP

/// The FlexFEC repair packet layout of RFC 8627 §4.2, byte for byte, on hand-built packets
/// whose XORs are worked out in the comments (the RFC has no test vectors).
@Suite struct FlexFECHeaderTests {
    /// V=2 M=1 PT=96, SN 100, TS 0x11223344, SSRC 0xAABBCCDD, payload 01 02 03.
    static let a: [UInt8] = [0x80, 0xE0, 0x00, 0x64, 0x11, 0x22, 0x33, 0x44, 0xAA, 0xBB, 0xCC, 0xDD, 0x01, 0x02, 0x03]
    /// V=2 M=0 PT=96, SN 101, TS 0x55667788, same SSRC, payload F0 0F.
    static let b: [UInt8] = [0x80, 0x60, 0x00, 0x65, 0x55, 0x66, 0x77, 0x88, 0xAA, 0xBB, 0xCC, 0xDD, 0xF0, 0x0F]

    /// The repair of a and b (§6.2): first 16 bits 80E0 ^ 8060 = 0080 (M recovery 1, R = F = 0
    /// over the version bits); length recovery 3 ^ 2 = 1; TS recovery 11223344 ^ 55667788 =
    /// 444444CC; SN base 100; 15-bit mask with bits 0 and 1 (k = 0): 0x6000; repair payload
    /// 01^F0 02^0F 03^00 = F1 0D 03 (b zero-padded). In a repair packet of SSRC 0x46454300,
    /// PT 98, SN 7, TS 0x1000 whose CSRC names the protected SSRC (§4.2.1).
    static let repairBytes: [UInt8] = [
        0x81, 0x62, 0x00, 0x07, 0x00, 0x00, 0x10, 0x00, 0x46, 0x45, 0x43, 0x00, 0xAA, 0xBB, 0xCC, 0xDD,
        0x00, 0x80, 0x00, 0x01, 0x44, 0x44, 0x44, 0xCC, 0x00, 0x64, 0x60, 0x00, 0xF1, 0x0D, 0x03,
    ]

    static let block = FlexFECHeader.Block(ssrc: 0xAABB_CCDD, sequenceBase: 100, protection: .flexible(FlexFECMask(offsets: [0, 1])))

    @Test func repairOfTwoPacketsIsTheirXOR() throws {
        let repair = FlexFECEncoder.repair(of: [Self.a, Self.b], blocks: [Self.block])
        #expect(repair.header == FlexFECHeader(flagsRecovery: 0x0080, lengthRecovery: 1, timestampRecovery: 0x4444_44CC, blocks: [Self.block]))
        #expect(repair.payload == [0xF1, 0x0D, 0x03])
        let packet = repair.packet(ssrc: 0x4645_4300, payloadType: 98, sequenceNumber: 7, timestamp: 0x1000)
        #expect(packet.encoded() == Self.repairBytes)
        #expect(try FlexFECPayload(decoding: RTPPacket(decoding: Self.repairBytes)) == .repair(repair))
    }

    /// The k-bits select 15, 46 or 110 mask bits (§4.2.2.1): k = 1 when another block follows.
    @Test(arguments: [
        ([0, 14], [0x40, 0x01] as [UInt8]),
        // 46 bits: k=1 | bit 0 → C000; k=0 | bit 15 (first of the 31) | bit 45 (last) → 40000001.
        ([0, 15, 45], [0xC0, 0x00, 0x40, 0x00, 0x00, 0x01]),
        // 110 bits: 8000, 80000000, then bit 46 first and bit 109 last of the 64.
        ([46, 109], [0x80, 0x00, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]),
    ])
    func maskLengths(offsets: [Int], bytes: [UInt8]) throws {
        let mask = FlexFECMask(offsets: offsets)
        var out: [UInt8] = []
        mask.encode(into: &out)
        #expect(out == bytes)
        #expect(mask.encodedSize == bytes.count)
        var reader = ByteReader(bytes[...])
        let decoded = try FlexFECMask.decode(&reader)
        #expect(decoded == mask)
        #expect(reader.remaining == 0)
        #expect(mask.offsets == offsets)
    }

    @Test func everyMaskBitRoundTripsAtTheShortestLength() throws {
        for bit in 0..<FlexFECMask.capacity {
            let mask = FlexFECMask(offsets: [bit])
            #expect(mask.length == (bit < 15 ? 15 : bit < 46 ? 46 : 110))
            let header = FlexFECHeader(flagsRecovery: 0x3FFF, lengthRecovery: 0xFFFF, timestampRecovery: 0xFFFF_FFFF,
                                       blocks: [.init(ssrc: 1, sequenceBase: 65_535, protection: .flexible(mask))])
            var bytes: [UInt8] = []
            header.encode(into: &bytes)
            #expect(bytes.count == header.encodedSize && bytes.count == 8 + 2 + mask.encodedSize)
            var reader = ByteReader(bytes[...])
            let decoded = try FlexFECHeader.decode(&reader, ssrcs: [1])
            #expect(decoded == header)
        }
    }

    /// F = 1 (§4.2.2.2): SN base, L, D after the recovery fields; the offsets of Figure 14.
    @Test func fixedRowsAndColumns() throws {
        let row = FlexFECHeader.Block(ssrc: 5, sequenceBase: 0x1234, protection: .fixed(columns: 4, rows: 0))
        let header = FlexFECHeader(flagsRecovery: 0x0060, lengthRecovery: 0x0102, timestampRecovery: 0x0A0B_0C0D, blocks: [row])
        var bytes: [UInt8] = []
        header.encode(into: &bytes)
        #expect(bytes == [0x40, 0x60, 0x01, 0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0x12, 0x34, 0x04, 0x00])
        #expect(row.sequenceNumbers == [0x1234, 0x1235, 0x1236, 0x1237])
        #expect(FlexFECHeader.Protection.fixed(columns: 4, rows: 1).offsets == [0, 1, 2, 3])
        #expect(FlexFECHeader.Protection.fixed(columns: 4, rows: 3).offsets == [0, 4, 8])
        let column = FlexFECHeader.Block(ssrc: 5, sequenceBase: 65_534, protection: .fixed(columns: 2, rows: 3))
        #expect(column.sequenceNumbers == [65_534, 0, 2])
        var reader = ByteReader(bytes[...])
        let decoded = try FlexFECHeader.decode(&reader, ssrcs: [5])
        #expect(decoded == header)
    }

    /// Two protected SSRCs: CC = 2 in the repair's RTP header, a block each in CSRC order.
    @Test func twoSSRCsRoundTrip() throws {
        let blocks = [FlexFECHeader.Block(ssrc: 0x1111, sequenceBase: 10, protection: .flexible(FlexFECMask(offsets: [0, 20]))),
                      FlexFECHeader.Block(ssrc: 0x2222, sequenceBase: 900, protection: .flexible(FlexFECMask(offsets: [3, 100])))]
        let repair = FlexFECRepair(header: FlexFECHeader(flagsRecovery: 1, lengthRecovery: 2, timestampRecovery: 3, blocks: blocks), payload: [9, 9])
        let packet = repair.packet(ssrc: 7, payloadType: 98, sequenceNumber: 1, timestamp: 2)
        #expect(packet.csrcs == [0x1111, 0x2222])
        #expect(packet.payload.count == 8 + (2 + 6) + (2 + 14) + 2)
        #expect(try FlexFECRepair(decoding: RTPPacket(decoding: packet.encoded())) == repair)
    }

    /// R = 1, F = 0 (§4.2.2.3): the payload is the source packet itself.
    @Test func retransmissionVariantCarriesTheSourcePacket() throws {
        let repair = RTPPacket(payloadType: 98, sequenceNumber: 3, timestamp: 4, ssrc: 7, payload: Self.a)
        #expect(try FlexFECPayload(decoding: repair) == .retransmission(RTPPacket(decoding: Self.a)))
    }

    @Test func variantsReceiversIgnoreAreTypedErrors() {
        func decode(_ payload: [UInt8], csrcs: [UInt32] = [1]) -> RTPError? {
            do throws(RTPError) {
                _ = try FlexFECPayload(decoding: RTPPacket(payloadType: 98, sequenceNumber: 0, timestamp: 0, ssrc: 7, csrcs: csrcs, payload: payload))
                return nil
            } catch { return error }
        }
        let fixed: [UInt8] = [0x40, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        #expect(decode([0xC0] + Self.a.dropFirst()) == .invalidFlexFEC("R = 1 and F = 1 is reserved (RFC 8627 §4.2.2)"))
        #expect(decode(fixed + [0, 0]) == .invalidFlexFEC("L (columns) is 0 for SSRC 1"))
        #expect(decode(fixed + [0, 3]) == .invalidFlexFEC("L (columns) is 0 for SSRC 1"))
        #expect(decode(fixed + [4, 0], csrcs: []) == .invalidFlexFEC("the repair packet names no protected SSRC (CC is 0)"))
        #expect(decode([0x00, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x00]) == .invalidFlexFEC("the mask for SSRC 1 protects no packet"))
        #expect(decode([0x00, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0x00, 0x80]) == .truncated(offset: 12, needed: 2))
        #expect(decode([]) == .truncated(offset: 0, needed: 1))
        #expect(decode(fixed + [4, 0]) == nil)
    }
}
