/// CRC-32 with the IEEE 802.3 polynomial (reflected 0xEDB88320), as zlib computes it:
/// the checksum under STUN's FINGERPRINT. Table-driven, one byte per step.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
        var c = n
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { ~update(0xFFFF_FFFF, $0) }
    }

    /// Feeds `bytes` into a running (pre-inverted) CRC; start with 0xFFFFFFFF, invert at the end.
    static func update(_ running: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { t in
            var c = running
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            return c
        }
    }

    /// The STUN FINGERPRINT value of the first `prefix` bytes of a message whose length
    /// field is replaced by `lengthField` (RFC 8489 §14.7).
    static func stunFingerprint(_ p: UnsafeRawBufferPointer, prefix: Int, lengthField: UInt16) -> UInt32 {
        var c = update(0xFFFF_FFFF, UnsafeRawBufferPointer(rebasing: p[0..<2]))
        withUnsafeBytes(of: lengthField.bigEndian) { c = update(c, $0) }
        c = update(c, UnsafeRawBufferPointer(rebasing: p[4..<prefix]))
        return ~c ^ 0x5354_554E
    }
}
