import NetTypes

/// Local preferences (RFC 8445 §5.1.2.1) for a host's addresses, ordered as RFC 8421
/// §4 recommends for multihomed and dual-stack hosts.
///
/// Interfaces keep the order the driver declares (its preference). IPv6 addresses get
/// RFC 8421 §4's head start, Hi = (N_4 + N_6) / N_4 of them (rounded down; all when
/// there is no IPv4 address) before the first IPv4 one, and from there the families
/// alternate, so that a broken family delays checks on the other by a few pacing steps
/// at most (the RFC's example: with two IPv4 and six IPv6 addresses, the first IPv4
/// address comes after four IPv6 ones). IPv6 addresses the default address
/// selection policy (RFC 6724 §2.1, which RFC 8421 §4 follows) ranks below IPv4 — 6to4,
/// Teredo, unique local, and the deprecated IPv4-compatible, site-local and 6bone
/// ones — take part in no interleaving: they follow every other address, by that
/// policy's precedence. Each address gets a distinct preference, as §5.1.2.1 requires
/// for bases of the same type and component.
public enum LocalPreference {
    /// The highest local preference (RFC 8445 §5.1.2.2 recommends 65535 for one address).
    public static let highest: UInt32 = 65535

    /// Preference by address, for `addresses` in the driver's order of preference.
    public static func assign(_ addresses: [IPAddress]) -> [IPAddress: UInt32] {
        var unique: [IPAddress] = []
        for address in addresses where !unique.contains(address) { unique.append(address) }
        let ipv4Precedence = precedence(of: .v4(.any))
        let v6 = unique.filter { $0.family == .ipv6 && precedence(of: $0) > ipv4Precedence }
        let v4 = unique.filter { $0.family == .ipv4 }
        let headStart = v4.isEmpty ? v6.count : min(v6.count, max(1, (v4.count + v6.count) / v4.count))
        var ordered = Array(v6.prefix(headStart))
        var rest6 = v6.dropFirst(headStart)[...], rest4 = v4[...]
        while !rest4.isEmpty || !rest6.isEmpty {
            if let next = rest4.popFirst() { ordered.append(next) }
            if let next = rest6.popFirst() { ordered.append(next) }
        }
        let demoted = unique.filter { $0.family == .ipv6 && precedence(of: $0) <= ipv4Precedence }
        ordered += demoted.enumerated().sorted { (precedence(of: $0.element), -$0.offset) > (precedence(of: $1.element), -$1.offset) }
            .map(\.element)
        var result: [IPAddress: UInt32] = [:]
        for (rank, address) in ordered.enumerated() { result[address] = highest - UInt32(rank) * 128 }
        return result
    }

    /// The default policy table of RFC 6724 §2.1: prefix and precedence, longest first.
    private static let policyTable: [(prefix: IPPrefix, precedence: Int)] = [
        ("::1/128", 50), ("::ffff:0:0/96", 35), ("::/96", 1), ("2001::/32", 5), ("2002::/16", 30),
        ("3ffe::/16", 1), ("fec0::/10", 1), ("fc00::/7", 3), ("::/0", 40),
    ].map { (prefix: try! IPPrefix(parsing: $0.0), precedence: $0.1) }.sorted { $0.prefix.length > $1.prefix.length }

    /// The RFC 6724 §2.1 precedence of an IPv6 address (IPv4 addresses count as
    /// IPv4-mapped, 35).
    static func precedence(of address: IPAddress) -> Int {
        guard case .v6 = address else { return 35 }
        return policyTable.first { $0.prefix.contains(address) }?.precedence ?? 40
    }

    /// The local preference of a relayed candidate from one of a base's `preference` when
    /// the agent reaches the TURN server over `transport`: UDP as it is, TCP one third of
    /// the range lower, TLS two thirds, so that every UDP relay ranks above every TCP one
    /// and those above TLS (for hosts with fewer than 170 addresses, whose preferences
    /// stay above 43690). Browsers rank them so: libwebrtc through the type preference
    /// (2, 1, 0 for relays over UDP, TCP, TLS), Firefox through a relay-over-TCP type
    /// preference; RFC 8445 §5.1.2.1 leaves it to the local preference, which keeps the
    /// relayed type preference at 0 as §5.1.2.2 recommends.
    public static func relay(_ preference: UInt32, over transport: TransportKind) -> UInt32 {
        let band = (highest + 1) / 3
        switch transport {
        case .udp, .dtls: return preference
        case .tcp: return preference > band ? preference - band : 0
        case .tls: return preference > 2 * band ? preference - 2 * band : 0
        }
    }
}
