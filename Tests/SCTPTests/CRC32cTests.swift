import Testing
@testable import SCTP

/// CRC32c against RFC 3720 Appendix B.4 (the iSCSI vectors), the common check value, and
/// the bit-by-bit definition.
@Suite struct CRC32cTests {
    @Test func rfc3720Vectors() {
        #expect(CRC32c.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32c.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32c.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32c.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        // B.4's iSCSI Read (10) command PDU.
        let pdu: [UInt8] = [0x01, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0,
                            0, 0, 0, 0x14, 0, 0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0]
        #expect(CRC32c.checksum(pdu) == 0xD996_3A56)
    }

    @Test func checkValue() {
        #expect(CRC32c.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// The hardware instruction and slicing-by-8 equal the bit-by-bit definition for every length and alignment of
    /// the eight-byte blocks and the byte-wise tail.
    @Test func slicingMatchesTheBitwiseDefinition() {
        func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data = (0..<300).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for start in 0..<9 {
            for end in stride(from: start, through: data.count, by: 7) {
                let slice = Array(data[start..<end])
                #expect(CRC32c.checksum(slice) == bitwise(data[start..<end]), "\(start)..<\(end)")
                // Both paths: the CPU's instruction (when present) and the tables.
                #expect(slice.withUnsafeBytes { ~CRC32c.tableUpdate(0xFFFF_FFFF, $0) } == bitwise(data[start..<end]), "\(start)..<\(end)")
            }
        }
    }
}
