/// One packet of an RTCP compound packet. Types icelab does not interpret are kept as
/// `.other` so that a compound packet re-encodes to the same bytes.
public enum RTCPPacket: Hashable, Sendable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(SourceDescription)
    case goodbye(Goodbye)
    case transportFeedback(TransportFeedback)
    case congestionFeedback(CongestionControlFeedback)
    case nack(GenericNACK)
    case pictureLossIndication(PictureLossIndication)
    case fullIntraRequest(FullIntraRequest)
    /// REMB (draft-alvestrand-rmcat-remb): PSFB FMT 15 with the 'REMB' identifier.
    case receiverEstimatedMaxBitrate(ReceiverEstimatedMaxBitrate)
    /// Any other packet: its count/FMT field, packet type and body (padding removed; a
    /// body that is not word-aligned is re-padded on encoding).
    case other(count: UInt8, packetType: UInt8, body: [UInt8])

    /// Decodes a compound packet (RFC 3550 §6.1) or a single reduced-size one (RFC 5506):
    /// every packet in `bytes`, in order.
    public static func decodeCompound(_ bytes: [UInt8]) throws(RTPError) -> [RTCPPacket] {
        var reader = ByteReader(bytes[...])
        var packets: [RTCPPacket] = []
        guard reader.remaining > 0 else { throw .truncated(offset: 0, needed: 4) }
        while reader.remaining > 0 {
            let header = try RTCPHeader.read(&reader)
            switch header.packetType {
            case SenderReport.packetType: packets.append(.senderReport(try SenderReport(header)))
            case ReceiverReport.packetType: packets.append(.receiverReport(try ReceiverReport(header)))
            case SourceDescription.packetType: packets.append(.sourceDescription(try SourceDescription(header)))
            case Goodbye.packetType: packets.append(.goodbye(try Goodbye(header)))
            case TransportFeedback.packetType where header.count == TransportFeedback.format:
                packets.append(.transportFeedback(try TransportFeedback(header)))
            case CongestionControlFeedback.packetType where header.count == CongestionControlFeedback.format:
                packets.append(.congestionFeedback(try CongestionControlFeedback(header)))
            case GenericNACK.packetType where header.count == GenericNACK.format: packets.append(.nack(try GenericNACK(header)))
            case PictureLossIndication.packetType where header.count == PictureLossIndication.format:
                packets.append(.pictureLossIndication(try PictureLossIndication(header)))
            case FullIntraRequest.packetType where header.count == FullIntraRequest.format:
                packets.append(.fullIntraRequest(try FullIntraRequest(header)))
            case ReceiverEstimatedMaxBitrate.packetType where ReceiverEstimatedMaxBitrate.isREMB(header):
                packets.append(.receiverEstimatedMaxBitrate(try ReceiverEstimatedMaxBitrate(header)))
            default: packets.append(.other(count: header.count, packetType: header.packetType, body: Array(header.body)))
            }
        }
        return packets
    }

    /// The wire bytes of `packets` as one compound packet.
    public static func encodeCompound(_ packets: [RTCPPacket]) -> [UInt8] {
        var out: [UInt8] = []
        for packet in packets { packet.encode(into: &out) }
        return out
    }

    /// The wire bytes of this packet alone.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    func encode(into out: inout [UInt8]) {
        switch self {
        case .senderReport(let p): p.encode(into: &out)
        case .receiverReport(let p): p.encode(into: &out)
        case .sourceDescription(let p): p.encode(into: &out)
        case .goodbye(let p): p.encode(into: &out)
        case .transportFeedback(let p): p.encode(into: &out)
        case .congestionFeedback(let p): p.encode(into: &out)
        case .nack(let p): p.encode(into: &out)
        case .pictureLossIndication(let p): p.encode(into: &out)
        case .fullIntraRequest(let p): p.encode(into: &out)
        case .receiverEstimatedMaxBitrate(let p): p.encode(into: &out)
        case .other(let count, let packetType, let body):
            RTCPHeader.append(into: &out, count: count, packetType: packetType) { $0.append(contentsOf: body) }
        }
    }
}
