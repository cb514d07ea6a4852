/// An ICMP destination-unreachable about a segment a connection sent, as the driver
/// read it from the error's quote (RFC 792, RFC 4443).
///
/// RFC 1122 §4.2.3.9 calls protocol and port unreachable *hard* errors and the rest
/// *soft*; administratively prohibited (RFC 1812 §5.2.7.1) is treated as hard too, as
/// Linux and the BSDs do. What a connection does with them is RFC 5461's advice: see
/// `TCPConnection.handleUnreachable(_:sequenceNumber:now:)`.
public enum TCPUnreachable: Hashable, Sendable, CustomStringConvertible {
    case hostUnreachable
    case protocolUnreachable
    case portUnreachable
    case administrativelyProhibited

    /// Whether the error says the peer will never be reached this way.
    public var isHard: Bool { self != .hostUnreachable }

    public var description: String {
        switch self {
        case .hostUnreachable: return "host unreachable"
        case .protocolUnreachable: return "protocol unreachable"
        case .portUnreachable: return "port unreachable"
        case .administrativelyProhibited: return "administratively prohibited"
        }
    }
}
