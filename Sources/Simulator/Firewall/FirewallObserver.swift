/// Sees a firewall's decisions, for reports and debugging.
public protocol FirewallObserver: AnyObject {
    /// `packet` crossing in `direction` got `action`, decided by `reason`.
    func decided(_ packet: Packet, direction: TrafficDirection, action: FirewallAction, reason: FirewallDecisionReason,
                 by firewall: Firewall)
}

/// What decided a firewall's action on a packet.
public enum FirewallDecisionReason: Sendable, Equatable {
    /// The packet belongs to (or is an ICMP error about) a flow the firewall allowed before.
    case state
    /// The rule at this index of the policy matched.
    case rule(Int)
    /// No rule matched.
    case defaultAction
}
