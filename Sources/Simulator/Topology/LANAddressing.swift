/// The address families of a NAT's LAN (`Topology.addNAT`).
public struct LANAddressing: Sendable, Equatable {
    /// Whether hosts get an IPv4 address from the LAN prefix (false: the IPv6-only
    /// network behind a NAT64).
    public var ipv4: Bool
    /// Whether the LAN also has a global IPv6 /64, routed untranslated (dual-stack behind
    /// an IPv4 NAT, as ISPs deliver IPv6 to homes).
    public var ipv6: Bool
    /// A stateful firewall for the LAN's IPv6 traffic, as home routers run one (RFC 6092
    /// recommends allowing outbound flows and dropping unsolicited inbound ones:
    /// `FirewallPolicy.allowOutboundOnly`); nil: IPv6 passes unfiltered. It is a
    /// `Firewall` node named after the NAT plus `firewallSuffix`, on the NAT's inside with
    /// a link without delay, filtering IPv6 only.
    public var ipv6Firewall: FirewallPolicy?

    /// The suffix of the IPv6 firewall's node name.
    public static let firewallSuffix = ".ipv6-firewall"

    public init(ipv4: Bool = true, ipv6: Bool = false, ipv6Firewall: FirewallPolicy? = nil) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.ipv6Firewall = ipv6Firewall
    }
}
