import NetTypes

/// Which peer addresses a TURN server relays to.
///
/// An open relay lets anyone reach what sits next to the server: its loopback services,
/// the private network it lives in, cloud metadata on link-local addresses, the server's
/// own ports (a well-known class of TURN server vulnerabilities). By default the policy
/// therefore refuses loopback, unspecified, link-local, private (RFC 1918, RFC 6598,
/// fc00::/7), multicast, broadcast and reserved addresses (0/8, 240/4, ::/96, fec0::/10),
/// and the server's own addresses. IPv4 embedded in IPv6 (`::ffff:a.b.c.d`,
/// `64:ff9b::a.b.c.d`) is judged by its IPv4 address.
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
        let judged = TURNPeerPolicy.embeddedIPv4(address).map(IPAddress.v4) ?? address
        // Both forms of the address: as written, and the IPv4 address it embeds.
        func either(_ test: (IPAddress) -> Bool) -> Bool { test(address) || (judged != address && test(judged)) }
        if either({ a in allow.contains { $0.contains(a) } }) { return true }
        guard refusesSpecialPurpose else { return true }
        if either(serverAddresses.contains) { return false }
        return !TURNPeerPolicy.isSpecialPurpose(judged)
    }

    /// Whether `deny` holds `address` (or the IPv4 address embedded in it).
    public func denies(_ address: IPAddress) -> Bool {
        let embedded = TURNPeerPolicy.embeddedIPv4(address).map(IPAddress.v4)
        return deny.contains { $0.contains(address) || embedded.map($0.contains) == true }
    }

    /// Addresses no relay should reach by default.
    static func isSpecialPurpose(_ address: IPAddress) -> Bool {
        !address.isGlobalUnicast || reserved.contains { $0.contains(address) }
    }

    static let reserved: [IPPrefix] = ["0.0.0.0/8", "240.0.0.0/4", "::/96", "fec0::/10"].map { try! IPPrefix(parsing: $0) }
    static let nat64 = try! IPPrefix(parsing: "64:ff9b::/96")

    /// The IPv4 address inside an IPv4-mapped or NAT64 (well-known prefix) IPv6 address.
    static func embeddedIPv4(_ address: IPAddress) -> IPv4Address? {
        guard case .v6(let a) = address else { return nil }
        if let v4 = a.ipv4Mapped { return v4 }
        return nat64.contains(address) ? IPv4Address(UInt32(truncatingIfNeeded: a.low)) : nil
    }
}
