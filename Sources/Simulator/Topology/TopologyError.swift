/// Why a `Topology` could not add a node.
public enum TopologyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The node to attach behind is not this topology's internet, a NAT or a firewall.
    case notANetwork(String)
    /// The address pool of the named network is used up.
    case addressesExhausted(String)

    public var description: String {
        switch self {
        case .notANetwork(let name): return "'\(name)' is not a network of this topology (internet, NAT or firewall)"
        case .addressesExhausted(let name): return "no addresses left in the pool of '\(name)'"
        }
    }
}
