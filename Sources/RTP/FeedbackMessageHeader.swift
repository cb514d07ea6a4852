/// The common packet format of RTCP feedback messages (RFC 4585 §6.1) after the RTCP
/// header: the SSRC of the packet's sender and of the media source it is about, then
/// the feedback control information (FCI) of the message type.
enum FeedbackMessageHeader {
    /// Appends a feedback message of `packetType` and `format` whose FCI `writeFCI` produces.
    static func append(into out: inout [UInt8], format: UInt8, packetType: UInt8, senderSSRC: UInt32, mediaSSRC: UInt32,
                       writeFCI: (inout [UInt8]) -> Void) {
        RTCPHeader.append(into: &out, count: format, packetType: packetType) { out in
            out.appendUInt32(senderSSRC)
            out.appendUInt32(mediaSSRC)
            writeFCI(&out)
        }
    }

    /// The two SSRCs of a feedback message and a reader positioned at its FCI.
    static func read(_ header: RTCPHeader) throws(RTPError) -> (senderSSRC: UInt32, mediaSSRC: UInt32, fci: ByteReader) {
        var reader = ByteReader(header.body)
        let sender = try reader.uint32()
        let media = try reader.uint32()
        return (sender, media, reader)
    }
}
