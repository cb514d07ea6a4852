import NetTypes

/// Which peer addresses a TURN server relays to.
///
/// An open relay lets anyone reach what sits next to the server: its loopback services,
/// the private network it lives in, cloud metadata on link-local addresses, the server's
/// own ports (a well-known class of TURN server vulnerabilities). By default the policy
/// therefore refuses loopback, unspecified, link-local, private (RFC 1918, RFC 6598,
/// fc00::/7), multicast, broadcast and reserved addresses (0/8, 240/4, ::/96, fec0::/10),
/// and the server's own addresses. An IPv6 address that embeds an IPv4 address (IPv4-mapped
/// and -translated, 6to4, NAT64; see `EmbeddedIPv4`) is judged by the IPv4 address, and
/// refused if any IPv4 address it may embed is refused.
///
/// `allow` re-opens prefixes the default refuses (e.g. `127.0.0.0/8` for tests on
/// loopback); `deny` refuses prefixes and wins over everything else. The server adds two
/// rules of its own: its listening endpoints are never peers (a relay loop), and the
/// relayed endpoints of its other allocations are (two clients of one server).
public struct TURNPeerPolicy: Hashable, Sendable {
    /// Prefixes relayed to even when the default refuses them.
    public var allow: [IPPrefix]
    /// Prefixes never relayed to (wins over `allow`).
    public var deny: [IPPrefix]
    /// Whether special-purpose addresses and the server's own addresses are refused
    /// unless allowed.
    public var refusesSpecialPurpose: Bool

    public init(allow: [IPPrefix] = [], deny: [IPPrefix] = [], refusesSpecialPurpose: Bool = true) {
        self.allow = allow
        self.deny = deny
        self.refusesSpecialPurpose = refusesSpecialPurpose
    }

    /// Whether the server may relay to `address`; `serverAddresses` are its listening and
    /// relay addresses.
    public func permits(_ address: IPAddress, serverAddresses: Set<IPAddress>) -> Bool {
        if denies(address) { return false }
        if allows(address) { return true }
        if refusesSpecialPurpose && serverAddresses.contains(address) { return false }
        let embedded = EmbeddedIPv4.addresses(in: address)
        if embedded.isEmpty { return permitsAlone(address, serverAddresses: serverAddresses) }
        return embedded.allSatisfy { permitsAlone(.v4($0), serverAddresses: serverAddresses) }
    }

    /// Whether `deny` holds `address` or an IPv4 address it may embed.
    public func denies(_ address: IPAddress) -> Bool {
        guard !deny.isEmpty else { return false }
        let embedded = EmbeddedIPv4.addresses(in: address)
        return deny.contains { prefix in prefix.contains(address) || embedded.contains { prefix.contains(.v4($0)) } }
    }

    private func allows(_ address: IPAddress) -> Bool { allow.contains { $0.contains(address) } }

    /// The rules for an address that embeds no other.
    private func permitsAlone(_ address: IPAddress, serverAddresses: Set<IPAddress>) -> Bool {
        if allows(address) || !refusesSpecialPurpose { return true }
        return !serverAddresses.contains(address) && !TURNPeerPolicy.isSpecialPurpose(address)
    }

    /// Addresses no relay should reach by default.
    static func isSpecialPurpose(_ address: IPAddress) -> Bool {
        !address.isGlobalUnicast || reserved.contains { $0.contains(address) }
    }

    static let reserved: [IPPrefix] = ["0.0.0.0/8", "240.0.0.0/4", "::/96", "fec0::/10"].map { try! IPPrefix(parsing: $0) }
}
