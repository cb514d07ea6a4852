/// An SCTP packet (RFC 9260 §3): the common header and its chunks. Over DTLS (RFC 8261)
/// it is a DTLS application data payload with no IP or UDP header.
public struct SCTPPacket: Equatable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var verificationTag: UInt32
    public var chunks: [SCTPChunk]

    public init(sourcePort: UInt16, destinationPort: UInt16, verificationTag: UInt32, chunks: [SCTPChunk]) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.verificationTag = verificationTag
        self.chunks = chunks
    }

    /// Bytes of the common header.
    public static let headerSize = 12

    /// Decodes a packet. With `verifyChecksum`, a CRC32c mismatch throws `.badChecksum`
    /// (§6.8); a malformed chunk anywhere throws, so the whole packet is discarded.
    public init(decoding bytes: [UInt8], verifyChecksum: Bool = true) throws(SCTPDecodeError) {
        guard bytes.count >= Self.headerSize else { throw .truncated }
        var r = SCTPReader(bytes[...])
        sourcePort = try r.u16()
        destinationPort = try r.u16()
        verificationTag = try r.u32()
        let stored = UInt32(try r.u8()) | UInt32(try r.u8()) << 8 | UInt32(try r.u8()) << 16 | UInt32(try r.u8()) << 24
        if verifyChecksum, Self.checksum(bytes) != stored { throw .badChecksum }
        chunks = []
        while !r.isEmpty {
            let type = try r.u8(), flags = try r.u8()
            let length = Int(try r.u16())
            guard length >= 4 else { throw .badLength }
            chunks.append(try SCTPChunk(type: type, flags: flags, value: try r.take(length - 4)))
            r.skipPadding(after: length)
        }
    }

    /// The packet's bytes with its CRC32c (stored least significant byte first, as
    /// RFC 9260 Appendix A's reference code does).
    public var encoded: [UInt8] {
        var w = SCTPWriter()
        w.bytes.reserveCapacity(Self.headerSize + chunks.reduce(0) { $0 + $1.sizeHint })
        w.u16(sourcePort); w.u16(destinationPort); w.u32(verificationTag); w.u32(0)
        for chunk in chunks { chunk.encode(into: &w) }
        let crc = Self.checksum(w.bytes)
        w.bytes[8] = UInt8(truncatingIfNeeded: crc)
        w.bytes[9] = UInt8(truncatingIfNeeded: crc >> 8)
        w.bytes[10] = UInt8(truncatingIfNeeded: crc >> 16)
        w.bytes[11] = UInt8(truncatingIfNeeded: crc >> 24)
        return w.bytes
    }

    /// The CRC32c of a packet whose checksum field is taken as zero.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { packet in
            var register = CRC32c.update(0xFFFF_FFFF, UnsafeRawBufferPointer(rebasing: packet[0..<8]))
            withUnsafeBytes(of: UInt32(0)) { register = CRC32c.update(register, $0) }
            return ~CRC32c.update(register, UnsafeRawBufferPointer(rebasing: packet[12...]))
        }
    }
}
