/// The few header fields SRTP reads from RTP and RTCP packets, read without copying and
/// checked against the bytes there are.
enum SRTPPacketLayout {
    /// The largest packet, protected or not: a UDP datagram's payload. It also keeps the
    /// AES-CM block counter (16 bits, RFC 3711 §4.1.1) from ever carrying into the index.
    static let maximumLength = 65_535

    /// Length of the RTP header in the first `length` bytes of `packet`: the fixed 12
    /// bytes, the CSRC list and the header extension (RFC 3550 §5.1, §5.3.1), which SRTP
    /// leaves in clear (RFC 3711 §3.1). Callers have checked `length` ≥ 12.
    static func rtpHeaderLength(_ packet: UnsafeMutableBufferPointer<UInt8>, length: Int) throws(SRTPError) -> Int {
        guard packet[0] >> 6 == 2 else { throw .malformedHeader("RTP version \(packet[0] >> 6), not 2") }
        var header = 12 + 4 * Int(packet[0] & 0x0F)
        if packet[0] & 0x10 != 0 {
            guard header + 4 <= length else { throw .malformedHeader("the header extension runs past the packet") }
            header += 4 + 4 * (Int(packet[header + 2]) << 8 | Int(packet[header + 3]))
        }
        guard header <= length else { throw .malformedHeader("the CSRC list or header extension runs past the packet") }
        return header
    }

    /// Checks the first RTCP header of a compound packet is version 2 (RFC 3550 §6.4.1).
    static func checkRTCPVersion(_ packet: UnsafeMutableBufferPointer<UInt8>) throws(SRTPError) {
        guard packet[0] >> 6 == 2 else { throw .malformedHeader("RTCP version \(packet[0] >> 6), not 2") }
    }

    static func uint16(_ packet: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> UInt16 {
        UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
    }

    static func uint32(_ packet: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> UInt32 {
        UInt32(uint16(packet, at: offset)) << 16 | UInt32(uint16(packet, at: offset + 2))
    }

    /// Appends `count` bytes of room to `packet` and runs `body` on the whole buffer; if
    /// `body` throws, the room is taken off again, so the caller gets its packet back.
    static func withRoom(for count: Int, after packet: inout [UInt8],
                         _ body: (UnsafeMutableBufferPointer<UInt8>) throws(SRTPError) -> Void) throws(SRTPError) {
        packet.append(contentsOf: repeatElement(0, count: count))
        do {
            try packet.withUnsafeMutableBufferPointer { (buffer) throws(SRTPError) in try body(buffer) }
        } catch {
            packet.removeLast(count)
            throw error
        }
    }

    /// A copy of `packet` (with capacity for `growing` more bytes) transformed in place by
    /// `transform`: the value-returning forms of protect and unprotect.
    static func copy(_ packet: [UInt8], growing: Int, by transform: (inout [UInt8]) throws(SRTPError) -> Void) throws(SRTPError) -> [UInt8] {
        var out = packet
        out.reserveCapacity(packet.count + growing)
        try transform(&out)
        return out
    }
}
