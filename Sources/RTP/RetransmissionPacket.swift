/// The RTP retransmission payload format (RFC 4588 §4): a retransmitted packet travels
/// in its own stream — own SSRC (session multiplexing, §8), own payload type and own
/// sequence numbers — and its payload starts with the original sequence number (OSN)
/// followed by the original payload. Timestamp, marker bit, CSRCs and header extensions
/// are the original packet's (§4).
public enum RetransmissionPacket {
    /// The RTX packet that carries `original` in the retransmission stream `ssrc` with
    /// payload type `payloadType` and sequence number `sequenceNumber`.
    public static func encapsulate(_ original: RTPPacket, ssrc: UInt32, payloadType: UInt8, sequenceNumber: UInt16) -> RTPPacket {
        var payload: [UInt8] = []
        payload.reserveCapacity(2 + original.payload.count)
        payload.appendUInt16(original.sequenceNumber)
        payload.append(contentsOf: original.payload)
        return RTPPacket(marker: original.marker, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: original.timestamp,
                         ssrc: ssrc, csrcs: original.csrcs, extensions: original.extensions, payload: payload,
                         paddingLength: original.paddingLength)
    }

    /// The original packet `rtx` carries, restored into stream `ssrc` with payload type
    /// `payloadType` (the SDP `apt` association, §8.6). Throws when the payload has no OSN.
    public static func decapsulate(_ rtx: RTPPacket, ssrc: UInt32, payloadType: UInt8) throws(RTPError) -> RTPPacket {
        guard rtx.payload.count >= 2 else {
            throw .invalidRetransmission("the payload has \(rtx.payload.count) byte(s), the original sequence number needs 2")
        }
        let sequence = UInt16(rtx.payload[0]) << 8 | UInt16(rtx.payload[1])
        return RTPPacket(marker: rtx.marker, payloadType: payloadType, sequenceNumber: sequence, timestamp: rtx.timestamp, ssrc: ssrc,
                         csrcs: rtx.csrcs, extensions: rtx.extensions, payload: Array(rtx.payload[2...]),
                         paddingLength: rtx.paddingLength)
    }
}
