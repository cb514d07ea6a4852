/// Why a node discarded a packet.
public enum NodeDropReason: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// No route to the destination.
    case noRoute
    /// The TTL reached zero while forwarding.
    case ttlExpired
    /// The packet was not for this node, and this node does not forward.
    case notForwarding
    /// No socket was bound to the destination port.
    case noListener
    /// The outgoing interface has no link, or the link is down.
    case interfaceDown
    /// A NAT or firewall filtered the packet (counted in detail by that node).
    case filtered
    /// The packet could not be processed (e.g. a malformed ICMP message).
    case malformed

    public var description: String {
        switch self {
        case .noRoute: return "no-route"
        case .ttlExpired: return "ttl-expired"
        case .notForwarding: return "not-forwarding"
        case .noListener: return "no-listener"
        case .interfaceDown: return "interface-down"
        case .filtered: return "filtered"
        case .malformed: return "malformed"
        }
    }
}

/// Counters of one node.
public struct NodeStats: Sendable {
    public internal(set) var received = 0
    public internal(set) var forwarded = 0
    public internal(set) var deliveredLocally = 0
    public internal(set) var sent = 0
    public internal(set) var drops = DropCounters<NodeDropReason>()

    /// Packets dropped for `reason`.
    public func dropped(_ reason: NodeDropReason) -> Int { drops[reason] }
    /// Packets dropped for any reason.
    public var totalDropped: Int { drops.total }
}
