/// Big-endian reads from a byte buffer that throw `RTPError.truncated` instead of trapping.
struct ByteReader {
    let bytes: ArraySlice<UInt8>
    private(set) var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    /// Bytes left to read.
    var remaining: Int { bytes.endIndex - offset }

    mutating func read(_ count: Int) throws(RTPError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset - bytes.startIndex, needed: count) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func skip(_ count: Int) throws(RTPError) { _ = try read(count) }

    mutating func uint8() throws(RTPError) -> UInt8 { try read(1).first! }

    mutating func uint16() throws(RTPError) -> UInt16 {
        let b = try read(2)
        return UInt16(b[b.startIndex]) << 8 | UInt16(b[b.startIndex + 1])
    }

    mutating func uint24() throws(RTPError) -> UInt32 {
        let b = try read(3)
        return UInt32(b[b.startIndex]) << 16 | UInt32(b[b.startIndex + 1]) << 8 | UInt32(b[b.startIndex + 2])
    }

    mutating func uint32() throws(RTPError) -> UInt32 {
        let high = UInt32(try uint16())
        return high << 16 | UInt32(try uint16())
    }
}

extension Array where Element == UInt8 {
    mutating func appendUInt16(_ v: UInt16) {
        append(UInt8(v >> 8)); append(UInt8(truncatingIfNeeded: v))
    }

    mutating func appendUInt24(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v >> 16)); append(UInt8(truncatingIfNeeded: v >> 8)); append(UInt8(truncatingIfNeeded: v))
    }

    mutating func appendUInt32(_ v: UInt32) {
        appendUInt16(UInt16(v >> 16)); appendUInt16(UInt16(truncatingIfNeeded: v))
    }

    /// Zero bytes up to the next multiple of four.
    mutating func padToWord() {
        while count % 4 != 0 { append(0) }
    }
}
