/// Why a `Topology` could not add a node.
public enum TopologyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The node to attach behind is not this topology's internet, a NAT or a firewall.
    case notANetwork(String)
    /// The address pool of the named network is used up.
    case addressesExhausted(String)
    /// The named network has no IPv4 to number a NAT's external addresses from.
    case noIPv4(String)
    /// The named network has no IPv6 for a host's CLAT.
    case noIPv6(String)

    public var description: String {
        switch self {
        case .notANetwork(let name): return "'\(name)' is not a network of this topology (internet, NAT or firewall)"
        case .addressesExhausted(let name): return "no addresses left in the pool of '\(name)'"
        case .noIPv4(let name): return "'\(name)' has no IPv4 network for a NAT's external addresses (it is IPv6-only)"
        case .noIPv6(let name): return "'\(name)' has no IPv6 network for a CLAT (464XLAT runs on IPv6-only networks)"
        }
    }
}
