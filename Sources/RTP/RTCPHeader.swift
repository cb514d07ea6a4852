/// The common RTCP header (RFC 3550 §6.4.1): version 2, padding bit, a 5-bit count (or
/// feedback message type, RFC 4585), packet type and length in 32-bit words minus one.
struct RTCPHeader {
    var count: UInt8
    var packetType: UInt8
    /// The packet's bytes after the header, padding removed.
    var body: ArraySlice<UInt8>

    /// Reads one packet of a compound packet.
    static func read(_ reader: inout ByteReader) throws(RTPError) -> RTCPHeader {
        let first = try reader.uint8()
        guard first >> 6 == 2 else { throw .unsupportedVersion(first >> 6) }
        let packetType = try reader.uint8()
        let words = Int(try reader.uint16())
        var body = try reader.read(words * 4)
        if first & 0x20 != 0 {
            guard let padding = body.last, padding > 0, Int(padding) <= body.count else {
                throw .invalidLength("RTCP padding count exceeds the packet")
            }
            body = body.dropLast(Int(padding))
        }
        return RTCPHeader(count: first & 0x1F, packetType: packetType, body: body)
    }

    /// Appends a packet whose body `writeBody` produces. A body that does not end on a
    /// 32-bit boundary is padded RFC 3550-style: P bit set, the last byte counts the
    /// padding (as libwebrtc does for transport-wide feedback).
    static func append(into out: inout [UInt8], count: UInt8, packetType: UInt8, writeBody: (inout [UInt8]) -> Void) {
        precondition(count < 32, "RTCP count field out of range")
        let start = out.count
        out.append(0x80 | count)
        out.append(packetType)
        out.appendUInt16(0)
        writeBody(&out)
        let padding = (4 - (out.count - start) % 4) % 4
        if padding > 0 {
            out[start] |= 0x20
            out.append(contentsOf: repeatElement(0, count: padding - 1))
            out.append(UInt8(padding))
        }
        let words = UInt16((out.count - start) / 4 - 1)
        out[start + 2] = UInt8(words >> 8)
        out[start + 3] = UInt8(truncatingIfNeeded: words)
    }
}
