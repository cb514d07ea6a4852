import SCTP

/// A DCEP message (RFC 8832 §5), sent with PPID 50 on the channel's stream.
public enum DataChannelMessage: Equatable, Sendable {
    /// DATA_CHANNEL_OPEN (§5.1): asks the peer to open a channel on this stream.
    case open(DataChannelParameters)
    /// DATA_CHANNEL_ACK (§5.2).
    case ack

    static let openType: UInt8 = 0x03
    static let ackType: UInt8 = 0x02

    /// Decodes a DCEP message; throws `DataChannelError.malformedControlMessage`.
    public init(decoding bytes: [UInt8]) throws(DataChannelError) {
        guard let type = bytes.first else { throw .malformedControlMessage }
        switch type {
        case Self.ackType:
            guard bytes.count == 1 else { throw .malformedControlMessage }
            self = .ack
        case Self.openType:
            guard bytes.count >= 12 else { throw .malformedControlMessage }
            func u16(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
            let labelLength = u16(8), protocolLength = u16(10)
            guard bytes.count == 12 + labelLength + protocolLength,
                  let reliability = DataChannelReliability(channelType: bytes[1],
                      parameter: UInt32(u16(4)) << 16 | UInt32(u16(6))) else { throw .malformedControlMessage }
            guard let label = String(validating: bytes[12..<12 + labelLength], as: UTF8.self),
                  let subprotocol = String(validating: bytes[(12 + labelLength)...], as: UTF8.self) else {
                throw .malformedControlMessage
            }
            self = .open(DataChannelParameters(label: label, protocol: subprotocol, reliability: reliability,
                                               ordered: bytes[1] & 0x80 == 0, priority: UInt16(u16(2))))
        default:
            throw .malformedControlMessage
        }
    }

    /// The message's bytes (§5.1 figure 1, §5.2 figure 2).
    public var encoded: [UInt8] {
        switch self {
        case .ack:
            return [Self.ackType]
        case .open(let p):
            let label = Array(p.label.utf8), subprotocol = Array(p.protocol.utf8)
            let parameter = p.reliability.parameter
            var bytes: [UInt8] = [Self.openType, p.reliability.channelType | (p.ordered ? 0 : 0x80),
                                  UInt8(p.priority >> 8), UInt8(truncatingIfNeeded: p.priority),
                                  UInt8(parameter >> 24), UInt8(truncatingIfNeeded: parameter >> 16),
                                  UInt8(truncatingIfNeeded: parameter >> 8), UInt8(truncatingIfNeeded: parameter),
                                  UInt8(label.count >> 8), UInt8(truncatingIfNeeded: label.count),
                                  UInt8(subprotocol.count >> 8), UInt8(truncatingIfNeeded: subprotocol.count)]
            bytes += label
            bytes += subprotocol
            return bytes
        }
    }
}
