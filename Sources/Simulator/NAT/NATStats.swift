/// Why a NAT discarded a packet.
public enum NATDropReason: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// A mapping exists, but the filtering behavior does not let this sender in.
    case filtered
    /// No mapping for the destination endpoint (unsolicited inbound traffic).
    case noMapping
    /// The mapping the packet was for had just expired.
    case expired
    /// A new flow found no free port or hit a mapping limit.
    case exhausted
    /// A packet from inside to the NAT's own external endpoint, with hairpinning off.
    case hairpinDisabled
    /// A protocol the NAT does not translate (ICMP other than errors about mappings).
    case unsupportedProtocol

    public var description: String {
        switch self {
        case .filtered: return "filtered"
        case .noMapping: return "no-mapping"
        case .expired: return "expired"
        case .exhausted: return "exhausted"
        case .hairpinDisabled: return "hairpin-disabled"
        case .unsupportedProtocol: return "unsupported-protocol"
        }
    }
}

/// Counters of one NAT, beside its `NodeStats` (where all NAT drops count as `filtered`).
public struct NATStats: Sendable {
    public internal(set) var outboundTranslated = 0
    public internal(set) var inboundTranslated = 0
    public internal(set) var hairpinned = 0
    public internal(set) var mappingsCreated = 0
    public internal(set) var mappingsRemoved = 0
    /// ICMP errors the NAT sent for rejected inbound packets (port unreachable for
    /// unsolicited TCP SYNs, RFC 5382 REQ-4).
    public internal(set) var rejectsSent = 0
    /// Unsolicited TCP SYNs held before an answer (RFC 5382 REQ-4).
    public internal(set) var synsHeld = 0
    /// Held SYNs dropped silently because an outbound SYN of their connection was
    /// translated while they waited (a simultaneous open, RFC 5382 REQ-4).
    public internal(set) var heldSYNsCrossed = 0
    /// RSTs the NAT sent for unsolicited TCP SYNs (`NATTCPBehavior.UnsolicitedSYNResponse.reset`).
    public internal(set) var resetsSent = 0
    /// ICMP errors the NAT sent to inside senders it could not map (`exhaustionResponse`).
    public internal(set) var exhaustionRejectsSent = 0
    /// Flows that took another port because their reply tuple clashed with the entry a
    /// refused inbound packet left (`NATBehavior.tracksRefusedInbound`).
    public internal(set) var portClashes = 0
    public internal(set) var drops = DropCounters<NATDropReason>()

    /// Packets dropped for `reason`.
    public func dropped(_ reason: NATDropReason) -> Int { drops[reason] }
}
