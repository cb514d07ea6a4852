/// The ECN field of an IP packet: the two low bits of the IPv4 TOS byte and of the IPv6
/// traffic class (RFC 3168 §5). A sender marks its packets ECN-capable (ECT); a queue that
/// would drop such a packet to signal congestion may set CE instead. ECT(1) is the L4S
/// identifier (RFC 9331): such a sender expects frequent, immediate marks.
public enum ECNCodepoint: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Not ECN-capable transport: a congested queue drops.
    case notECT = 0b00
    /// ECN-capable transport, codepoint 1 (L4S, RFC 9331).
    case ect1 = 0b01
    /// ECN-capable transport, codepoint 0 (classic ECN, RFC 3168).
    case ect0 = 0b10
    /// Congestion experienced: set by a queue instead of a drop.
    case ce = 0b11

    /// The codepoint in the low two bits of a TOS or traffic-class byte.
    @inlinable public init(trafficClass: UInt8) { self = ECNCodepoint(rawValue: trafficClass & 0b11)! }

    /// Whether a queue may mark the packet instead of dropping it (ECT(0), ECT(1), CE).
    @inlinable public var isECNCapable: Bool { self != .notECT }

    public var description: String {
        switch self {
        case .notECT: return "not-ect"
        case .ect1: return "ect1"
        case .ect0: return "ect0"
        case .ce: return "ce"
        }
    }
}
