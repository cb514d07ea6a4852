/// Big-endian appends and patches on byte buffers: the encoder's only primitives. Each
/// append is one copy of the value's bytes (one capacity check, not one per byte).
extension Array where Element == UInt8 {
    @inlinable mutating func appendUInt16(_ v: UInt16) {
        Swift.withUnsafeBytes(of: v.bigEndian) { append(contentsOf: $0) }
    }

    @inlinable mutating func appendUInt32(_ v: UInt32) {
        Swift.withUnsafeBytes(of: v.bigEndian) { append(contentsOf: $0) }
    }

    @inlinable mutating func appendUInt64(_ v: UInt64) {
        Swift.withUnsafeBytes(of: v.bigEndian) { append(contentsOf: $0) }
    }

    @inlinable mutating func setUInt16(_ v: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: v >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: v)
    }

    /// Appends `byte` until the count is a multiple of four (STUN attribute padding).
    @inlinable mutating func padToFour(with byte: UInt8) {
        let missing = (4 - count & 3) & 3
        if missing > 0 { append(contentsOf: repeatElement(byte, count: missing)) }
    }
}

/// Big-endian reads from a raw buffer; callers check bounds first.
extension UnsafeRawBufferPointer {
    @inlinable func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    @inlinable func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) << 16 | UInt32(uint16(at: offset + 2))
    }

    @inlinable func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) << 32 | UInt64(uint32(at: offset + 4))
    }

    /// A copy of `count` bytes from `offset`.
    @inlinable func bytes(at offset: Int, count: Int) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(rebasing: self[offset..<offset + count]))
    }
}

/// The STUN magic cookie (RFC 8489 §5).
let stunMagicCookie: UInt32 = 0x2112_A442

/// Rounds up to the next multiple of four.
@inlinable func paddedToFour(_ n: Int) -> Int { (n + 3) & ~3 }
