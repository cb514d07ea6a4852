import COpenSSL

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): SCTP's packet checksum
/// (RFC 9260 §6.8 and Appendix A), with the CPU's `crc32` instruction where there is one
/// (SSE 4.2, through the COpenSSL shim), else eight bytes at a time from eight 256-entry
/// tables ("slicing-by-8", Kounavis and Berry, 2008) and byte-wise for the tail.
public enum CRC32c {
    /// Whether the CPU computes CRC-32C itself (checked once).
    static let hardware = icelab_crc32c_hardware() != 0

    /// Table k maps a byte to the CRC of that byte followed by k zero bytes; table 0 is
    /// the classic byte-at-a-time table. Stored one after another, 8 × 256 entries.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[index] = crc
        }
        for k in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(k - 1) * 256 + index]
                tables[k * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes` (initial value all ones, final complement; RFC 3720 B.4).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { ~update(0xFFFF_FFFF, $0) }
    }

    /// Feeds `bytes` into a running register (start with all ones, complement at the end).
    static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard hardware, let base = bytes.baseAddress else { return tableUpdate(register, bytes) }
        return icelab_crc32c_update(register, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// `update` from the tables alone.
    static func tableUpdate(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = register
        tables.withUnsafeBufferPointer { t in
            let count = bytes.count
            var i = 0
            while count - i >= 8 {
                let low = (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24) ^ crc
                let high = UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 24
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int(low >> 8 & 0xFF)]
                    ^ t[5 * 256 + Int(low >> 16 & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int(high >> 8 & 0xFF)]
                    ^ t[1 * 256 + Int(high >> 16 & 0xFF)] ^ t[Int(high >> 24)]
                i += 8
            }
            while i < count {
                crc = t[Int((crc ^ UInt32(bytes[i])) & 0xFF)] ^ (crc >> 8)
                i += 1
            }
        }
        return crc
    }
}
