/// Big-endian reads from a slice of a packet; every read is bounds-checked and throws
/// `SCTPDecodeError.truncated` instead of trapping.
struct SCTPReader {
    var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isEmpty: Bool { bytes.isEmpty }
    var count: Int { bytes.count }

    mutating func u8() throws(SCTPDecodeError) -> UInt8 {
        guard let byte = bytes.first else { throw .truncated }
        bytes = bytes.dropFirst()
        return byte
    }

    mutating func u16() throws(SCTPDecodeError) -> UInt16 {
        UInt16(try u8()) << 8 | UInt16(try u8())
    }

    mutating func u32() throws(SCTPDecodeError) -> UInt32 {
        UInt32(try u16()) << 16 | UInt32(try u16())
    }

    mutating func take(_ n: Int) throws(SCTPDecodeError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count else { throw .truncated }
        let part = bytes.prefix(n)
        bytes = bytes.dropFirst(n)
        return part
    }

    /// Skips the zero padding after a TLV of `length` bytes (to a multiple of 4); a last
    /// TLV may come without it.
    mutating func skipPadding(after length: Int) {
        bytes = bytes.dropFirst(min(SCTPWriter.padding(length), bytes.count))
    }

    /// The type-length-value items (chunks, parameters, error causes: a 16-bit or 8+8-bit
    /// type, a 16-bit length covering the 4-byte header, padded to 4) until the end.
    mutating func tlvs() throws(SCTPDecodeError) -> [(type: UInt16, value: ArraySlice<UInt8>)] {
        var items: [(type: UInt16, value: ArraySlice<UInt8>)] = []
        while !isEmpty {
            let type = try u16()
            let length = Int(try u16())
            guard length >= 4 else { throw .badLength }
            items.append((type, try take(length - 4)))
            skipPadding(after: length)
        }
        return items
    }
}

/// Big-endian writes into a growing packet.
struct SCTPWriter {
    var bytes: [UInt8] = []
    /// Padding bytes the last `tlv` wrote: a chunk's length excludes its last
    /// parameter's padding (RFC 9260 §3.2.1).
    var lastPadding = 0

    /// Bytes of zero padding after `length` bytes to reach a multiple of 4.
    static func padding(_ length: Int) -> Int { (4 - length % 4) % 4 }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(truncatingIfNeeded: v)) }
    mutating func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(truncatingIfNeeded: v)) }
    mutating func append<Bytes: Sequence>(_ b: Bytes) where Bytes.Element == UInt8 { bytes.append(contentsOf: b) }
    mutating func pad() { bytes.append(contentsOf: repeatElement(0, count: Self.padding(bytes.count))) }

    /// Writes one TLV: `type` (16 bits), the length of `value` plus 4, `value`, padding.
    mutating func tlv(_ type: UInt16, _ value: [UInt8]) {
        u16(type)
        u16(UInt16(truncatingIfNeeded: value.count + 4))
        append(value)
        lastPadding = Self.padding(value.count)
        pad()
    }
}
