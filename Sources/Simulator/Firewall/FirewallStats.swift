/// Counters of one firewall.
public struct FirewallStats: Sendable {
    public internal(set) var allowedOutbound = 0
    public internal(set) var allowedInbound = 0
    /// Packets allowed because they belonged to a remembered flow.
    public internal(set) var allowedByState = 0
    public internal(set) var dropped = 0
    public internal(set) var rejected = 0
}
