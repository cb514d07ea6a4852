/// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): an
/// application layer feedback message (RFC 4585 §6.4, PSFB PT 206, FMT 15) in which the
/// receiver tells the sender the total rate it estimates it can take for the listed
/// media sources.
///
/// Layout after the common header: the sender's SSRC, the media source SSRC (always 0),
/// the identifier 'R' 'E' 'M' 'B', an 8-bit SSRC count, the bitrate as a 6-bit exponent
/// and 18-bit mantissa (bps = mantissa × 2^exp), then one SSRC per count.
public struct ReceiverEstimatedMaxBitrate: Hashable, Sendable {
    static let packetType: UInt8 = 206
    static let format: UInt8 = 15
    /// The unique identifier 'REMB' (§2.2).
    static let identifier: [UInt8] = [0x52, 0x45, 0x4D, 0x42]
    /// Largest mantissa (18 bits).
    static let maxMantissa: UInt64 = 0x3FFFF

    public var senderSSRC: UInt32
    /// The estimate, bps. Encoding keeps the top 18 significant bits (rounding down, as
    /// libwebrtc's `Remb::Create` does); `encodedBitrate` gives what goes on the wire.
    public var bitrate: UInt64
    /// The media sources the estimate covers (at most 255).
    public var ssrcs: [UInt32]

    public init(senderSSRC: UInt32, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// The exponent and mantissa of `bitrate`: the smallest exponent whose mantissa fits
    /// 18 bits.
    var exponentAndMantissa: (exponent: UInt8, mantissa: UInt32) {
        var mantissa = bitrate, exponent: UInt8 = 0
        while mantissa > Self.maxMantissa {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }

    /// The bitrate the encoded packet carries (`bitrate` with the bits below the
    /// mantissa cleared).
    public var encodedBitrate: UInt64 {
        let (exponent, mantissa) = exponentAndMantissa
        return UInt64(mantissa) << exponent
    }

    /// Whether a PSFB FMT 15 body is a REMB message (application layer feedback carries
    /// other messages too, told apart by their identifier).
    static func isREMB(_ header: RTCPHeader) -> Bool {
        header.packetType == packetType && header.count == format && header.body.count >= 12
            && header.body.dropFirst(8).prefix(4).elementsEqual(identifier)
    }

    func encode(into out: inout [UInt8]) {
        precondition(ssrcs.count <= 255, "REMB lists at most 255 SSRCs")
        RTCPHeader.append(into: &out, count: Self.format, packetType: Self.packetType) { out in
            out.appendUInt32(senderSSRC)
            out.appendUInt32(0)
            out.append(contentsOf: Self.identifier)
            let (exponent, mantissa) = exponentAndMantissa
            out.append(UInt8(ssrcs.count))
            out.append(exponent << 2 | UInt8(mantissa >> 16))
            out.appendUInt16(UInt16(truncatingIfNeeded: mantissa))
            for ssrc in ssrcs { out.appendUInt32(ssrc) }
        }
    }

    init(_ header: RTCPHeader) throws(RTPError) {
        var reader = ByteReader(header.body)
        senderSSRC = try reader.uint32()
        try reader.skip(4)
        guard try reader.read(4).elementsEqual(Self.identifier) else { throw .invalidREMB("no 'REMB' identifier") }
        let count = Int(try reader.uint8())
        let field = try reader.uint24()
        let exponent = UInt64(field >> 18)
        let mantissa = UInt64(field & 0x3FFFF)
        guard reader.remaining == 4 * count else {
            throw .invalidREMB("\(count) SSRC(s) announced, \(reader.remaining) byte(s) follow")
        }
        // A mantissa shifted beyond 64 bits is not a rate (libwebrtc rejects it too).
        guard mantissa == 0 || exponent + UInt64(64 - mantissa.leadingZeroBitCount) <= 64 else {
            throw .invalidREMB("bitrate \(mantissa) × 2^\(exponent) overflows 64 bits")
        }
        bitrate = mantissa << exponent
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(count)
        for _ in 0..<count { ssrcs.append(try reader.uint32()) }
        self.ssrcs = ssrcs
    }
}
