import Testing
@testable import SCTP

/// CRC32c against RFC 3720 Appendix B.4 (the iSCSI vectors) and the common check value.
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
}
