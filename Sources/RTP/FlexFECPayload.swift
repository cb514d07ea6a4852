/// What a FlexFEC packet (RFC 8627) carries: a parity repair of several source packets
/// (R = 0), or a retransmission of one (R = 1, F = 0, §4.2.2.3: the FEC header is the
/// source packet's own RTP header, so the payload is the source packet's bytes).
public enum FlexFECPayload: Hashable, Sendable {
    case repair(FlexFECRepair)
    case retransmission(RTPPacket)

    /// Decodes the payload of the FlexFEC packet `packet`. Throws for the reserved R = 1,
    /// F = 1 variant and reserved L = 0, which receivers MUST ignore (§4.2.2, §4.2.2.2).
    public init(decoding packet: RTPPacket) throws(RTPError) {
        guard let first = packet.payload.first else { throw .truncated(offset: 0, needed: 1) }
        switch first >> 6 {
        case 0, 1: self = .repair(try FlexFECRepair(decoding: packet))
        case 2: self = .retransmission(try RTPPacket(decoding: packet.payload))
        default: throw .invalidFlexFEC("R = 1 and F = 1 is reserved (RFC 8627 §4.2.2)")
        }
    }
}

/// A FlexFEC parity repair (RFC 8627 §4.2.2.1, §4.2.2.2): the FEC header and the repair
/// payload, the XOR of everything after the protected packets' fixed 12-byte headers
/// (CSRCs, header extensions, payload, padding), each zero-padded to the longest (§6.2).
public struct FlexFECRepair: Hashable, Sendable {
    public var header: FlexFECHeader
    public var payload: [UInt8]

    public init(header: FlexFECHeader, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    /// The repair packet in stream `ssrc` (§4.2.1): marker 0, the protected SSRCs as CSRCs,
    /// `extensions` of its own (independent of the sources').
    public func packet(ssrc: UInt32, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32,
                       extensions: RTPHeaderExtensions? = nil) -> RTPPacket {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(header.encodedSize + payload.count)
        header.encode(into: &bytes)
        bytes.append(contentsOf: payload)
        return RTPPacket(payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc,
                         csrcs: header.blocks.map(\.ssrc), extensions: extensions, payload: bytes)
    }

    /// The repair in `packet` (R = 0), whose CSRC list names the protected SSRCs.
    public init(decoding packet: RTPPacket) throws(RTPError) {
        var reader = ByteReader(packet.payload[...])
        let first = try reader.uint8()
        guard first >> 7 == 0 else { throw .invalidFlexFEC("R = 1: a retransmission, not a repair") }
        reader = ByteReader(packet.payload[...])
        header = try FlexFECHeader.decode(&reader, ssrcs: packet.csrcs)
        payload = Array(try reader.read(reader.remaining))
    }
}
