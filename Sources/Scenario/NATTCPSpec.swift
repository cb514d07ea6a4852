import NetTypes
import Simulator

/// A NAT's `tcp:` keys: how it treats TCP (RFC 5382) where that differs from what the
/// NAT's preset and top-level keys give. Every key is optional.
public struct NATTCPSpec: Sendable {
    public var mapping: EndpointDependence?
    public var filtering: EndpointDependence?
    public var establishedTimeout: Duration?
    public var transitoryTimeout: Duration?
    public var resetTimeout: Duration?
    public var unsolicitedSYN: NATTCPBehavior.UnsolicitedSYNResponse?

    static let keys = ["mapping", "filtering", "established-timeout", "transitory-timeout", "reset-timeout", "unsolicited-syn"]

    init(_ node: YAMLNode) throws(ScenarioError) {
        let f = try node.fields(allowed: NATTCPSpec.keys)
        mapping = try f.optional("mapping")?.choice(of: EndpointDependence.self)
        filtering = try f.optional("filtering")?.choice(of: EndpointDependence.self)
        establishedTimeout = try Self.timeout(f.optional("established-timeout"))
        transitoryTimeout = try Self.timeout(f.optional("transitory-timeout"))
        resetTimeout = try Self.timeout(f.optional("reset-timeout"))
        unsolicitedSYN = try f.optional("unsolicited-syn")?.choice(of: NATTCPBehavior.UnsolicitedSYNResponse.self)
    }

    /// A timeout: a positive duration (a zero one would drop a connection's mapping as
    /// soon as it is made).
    static func timeout(_ node: YAMLNode?) throws(ScenarioError) -> Duration? {
        guard let node else { return nil }
        let value = try node.duration()
        guard value > .zero else { throw node.error("'\(node.displayPath)' must be positive") }
        return value
    }

    /// Applies the written keys to `tcp`.
    func apply(to tcp: inout NATTCPBehavior) {
        if let v = mapping { tcp.mapping = v }
        if let v = filtering { tcp.filtering = v }
        if let v = establishedTimeout { tcp.establishedIdleTimeout = v }
        if let v = transitoryTimeout { tcp.transitoryIdleTimeout = v }
        if let v = resetTimeout { tcp.resetIdleTimeout = v }
        if let v = unsolicitedSYN { tcp.unsolicitedSYN = v }
    }
}
