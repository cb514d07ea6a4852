import CZlib

/// CRC-32 with the IEEE 802.3 polynomial (reflected 0xEDB88320): the checksum under
/// STUN's FINGERPRINT, computed by zlib's `crc32` (several bytes per step).
public enum CRC32 {
    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// Feeds `bytes` into a running CRC (zlib convention: start with 0, no inversions).
    static func update(_ running: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return running }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(running), base.assumingMemoryBound(to: UInt8.self), bytes.count))
    }

    /// The STUN FINGERPRINT value of the first `prefix` bytes of a message whose length
    /// field is replaced by `lengthField` (RFC 8489 §14.7).
    static func stunFingerprint(_ p: UnsafeRawBufferPointer, prefix: Int, lengthField: UInt16) -> UInt32 {
        let head = (p[0], p[1], UInt8(lengthField >> 8), UInt8(truncatingIfNeeded: lengthField))
        var c = withUnsafeBytes(of: head) { update(0, $0) }
        c = update(c, UnsafeRawBufferPointer(rebasing: p[4..<prefix]))
        return c ^ 0x5354_554E
    }
}
