import NetTypes

/// A flow a stateful firewall has allowed, seen from the inside: packets of it pass in
/// both directions until it has been idle for the policy's timeout.
public struct FirewallFlow: Hashable, Sendable, CustomStringConvertible {
    public var proto: IPProtocolKind
    public var inside: Endpoint
    public var outside: Endpoint

    public init(proto: IPProtocolKind, inside: Endpoint, outside: Endpoint) {
        self.proto = proto
        self.inside = inside
        self.outside = outside
    }

    public var description: String { "\(proto) \(inside) <-> \(outside)" }
}
