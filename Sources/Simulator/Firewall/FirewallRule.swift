import NetTypes

/// What a firewall does with a packet.
public enum FirewallAction: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Forward it (and, when stateful, let its return traffic through).
    case allow
    /// Discard it silently.
    case drop
    /// Discard it and answer with ICMP destination unreachable, administratively prohibited.
    case reject

    public var description: String { rawValue }
}

/// The protocols a firewall rule can match.
public enum FirewallProtocol: String, Sendable, CaseIterable {
    case udp, tcp
    /// ICMP and ICMPv6.
    case icmp
    case any

    @inlinable func matches(_ proto: IPProtocolKind) -> Bool {
        switch self {
        case .any: return true
        case .udp: return proto == .udp
        case .tcp: return proto == .tcp
        case .icmp: return proto == .icmp || proto == .icmpv6
        }
    }
}

/// One firewall rule: a packet that matches every given condition gets `action`.
/// Conditions left nil match anything; port ranges match UDP and TCP packets only.
public struct FirewallRule: Sendable, Equatable {
    public var action: FirewallAction
    public var direction: TrafficDirection?
    public var proto: FirewallProtocol
    public var source: IPPrefix?
    public var destination: IPPrefix?
    public var sourcePorts: ClosedRange<UInt16>?
    public var destinationPorts: ClosedRange<UInt16>?

    public init(_ action: FirewallAction, direction: TrafficDirection? = nil, proto: FirewallProtocol = .any,
                source: IPPrefix? = nil, destination: IPPrefix? = nil,
                sourcePorts: ClosedRange<UInt16>? = nil, destinationPorts: ClosedRange<UInt16>? = nil) {
        self.action = action
        self.direction = direction
        self.proto = proto
        self.source = source
        self.destination = destination
        self.sourcePorts = sourcePorts
        self.destinationPorts = destinationPorts
    }

    /// Whether a packet with these header fields, crossing in `direction`, matches.
    func matches(_ proto: IPProtocolKind, from source: Endpoint, to destination: Endpoint, _ direction: TrafficDirection) -> Bool {
        if let required = self.direction, required != direction { return false }
        guard self.proto.matches(proto) else { return false }
        if let prefix = self.source, !prefix.contains(source.address) { return false }
        if let prefix = self.destination, !prefix.contains(destination.address) { return false }
        let hasPorts = proto == .udp || proto == .tcp
        if let ports = sourcePorts, !(hasPorts && ports.contains(source.port)) { return false }
        if let ports = destinationPorts, !(hasPorts && ports.contains(destination.port)) { return false }
        return true
    }
}
