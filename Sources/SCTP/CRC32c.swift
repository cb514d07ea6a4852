/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): SCTP's packet checksum
/// (RFC 9260 §6.8 and Appendix A), computed a byte at a time from a 256-entry table.
public enum CRC32c {
    static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    /// The CRC-32C of `bytes` (initial value all ones, final complement; RFC 3720 B.4).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { ~update(0xFFFF_FFFF, $0) }
    }

    /// Feeds `bytes` into a running register (start with all ones, complement at the end).
    static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = register
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc
    }
}
