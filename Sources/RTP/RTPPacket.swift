/// An RTP data packet (RFC 3550 §5.1) with optional CSRCs, header extensions (RFC 8285)
/// and padding. `encoded()` and `init(decoding:)` are exact inverses for every packet
/// whose fields are in range.
public struct RTPPacket: Hashable, Sendable {
    public var marker: Bool
    /// 7-bit payload type.
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Up to 15 contributing sources.
    public var csrcs: [UInt32]
    public var extensions: RTPHeaderExtensions?
    public var payload: [UInt8]
    /// Number of padding bytes appended after the payload (0 = no P bit); the last
    /// padding byte carries this count, so 0 or 1...255.
    public var paddingLength: UInt8

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                csrcs: [UInt32] = [], extensions: RTPHeaderExtensions? = nil, payload: [UInt8] = [], paddingLength: UInt8 = 0) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.payload = payload
        self.paddingLength = paddingLength
    }

    /// Size of the fixed header, CSRCs and extension block in bytes.
    public var headerSize: Int {
        12 + 4 * csrcs.count + (extensions?.encodedSize ?? 0)
    }

    /// The packet's wire bytes.
    public func encoded() -> [UInt8] {
        precondition(csrcs.count <= 15 && payloadType < 128, "RTP header field out of range")
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + payload.count + Int(paddingLength))
        let p: UInt8 = paddingLength > 0 ? 0x20 : 0
        let x: UInt8 = extensions != nil ? 0x10 : 0
        out.append(0x80 | p | x | UInt8(csrcs.count))
        out.append((marker ? 0x80 : 0) | payloadType)
        out.appendUInt16(sequenceNumber)
        out.appendUInt32(timestamp)
        out.appendUInt32(ssrc)
        for csrc in csrcs { out.appendUInt32(csrc) }
        extensions?.encode(into: &out)
        out.append(contentsOf: payload)
        if paddingLength > 0 {
            out.append(contentsOf: repeatElement(0, count: Int(paddingLength) - 1))
            out.append(paddingLength)
        }
        return out
    }

    /// Decodes an RTP packet; throws on anything RFC 3550 does not allow.
    public init(decoding bytes: [UInt8]) throws(RTPError) {
        var reader = ByteReader(bytes[...])
        let first = try reader.uint8()
        guard first >> 6 == 2 else { throw .unsupportedVersion(first >> 6) }
        let second = try reader.uint8()
        marker = second & 0x80 != 0
        payloadType = second & 0x7F
        sequenceNumber = try reader.uint16()
        timestamp = try reader.uint32()
        ssrc = try reader.uint32()
        var csrcs: [UInt32] = []
        for _ in 0..<Int(first & 0x0F) { csrcs.append(try reader.uint32()) }
        self.csrcs = csrcs
        extensions = first & 0x10 != 0 ? try RTPHeaderExtensions.decode(&reader) : nil
        var body = try reader.read(reader.remaining)
        paddingLength = 0
        if first & 0x20 != 0 {
            guard let count = body.last, count > 0, Int(count) <= body.count else {
                throw .invalidLength("padding count exceeds the payload")
            }
            paddingLength = count
            body = body.dropLast(Int(count))
        }
        payload = Array(body)
    }

    /// Whether `bytes` look like RTCP rather than RTP when both share a port: RTCP packet
    /// types 192-223 in the second byte (RFC 5761 §4).
    public static func isRTCP(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && (192...223).contains(bytes[1])
    }
}
