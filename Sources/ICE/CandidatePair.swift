import NetTypes

/// A local and a remote candidate of the same component and family, and where its
/// connectivity check stands (RFC 8445 §6.1.2): the readable view of a check-list pair
/// (`CheckList.pairs`), for inspection, tests and results.
public struct CandidatePair: Hashable, Sendable {
    /// The local candidate whose base the checks leave from (host or relayed: reflexive
    /// local candidates are replaced by their base when pairs are formed, §6.1.2.4).
    public var local: Candidate
    public var remote: Candidate
    public var state: CandidatePairState = .frozen
    /// The local candidate of the valid pair this pair's successful check produced
    /// (§7.2.5.3.2): the mapped address, possibly a new peer-reflexive candidate.
    public var validLocal: Candidate?
    /// Nominated for its component (§8.1.1): usable for data once it is valid.
    public var nominated = false
    /// The round-trip time of the pair's last successful check (nil before one): what a
    /// browser reports as the candidate pair's `currentRoundTripTime`, and DTLS sizes its
    /// first retransmission timeout from.
    public var roundTripTime: Duration?

    public init(local: Candidate, remote: Candidate) {
        self.local = local
        self.remote = remote
    }

    public var component: Int { local.component }

    /// The pair's foundation: the local and remote foundations joined (§6.1.2.6).
    public var foundation: String { "\(local.foundation):\(remote.foundation)" }

    /// Whether the pair is in the valid list.
    public var isValid: Bool { state == .succeeded && validLocal != nil }

    /// The pair priority as the agent in `role` computes it.
    public func priority(role: ICERole) -> UInt64 {
        Self.priority(role: role, local: local.priority, remote: remote.priority)
    }

    /// The pair priority of a local and a remote candidate priority, as the agent in
    /// `role` computes it.
    static func priority(role: ICERole, local: UInt32, remote: UInt32) -> UInt64 {
        role == .controlling ? priority(controlling: local, controlled: remote) : priority(controlling: remote, controlled: local)
    }

    /// RFC 8445 §6.1.2.3: 2^32 × MIN(G, D) + 2 × MAX(G, D) + (G > D ? 1 : 0), where G is
    /// the controlling agent's candidate priority and D the controlled agent's. Both
    /// agents compute the same value, so both order the pairs alike.
    public static func priority(controlling g: UInt32, controlled d: UInt32) -> UInt64 {
        (UInt64(min(g, d)) << 32) + 2 * UInt64(max(g, d)) + (g > d ? 1 : 0)
    }
}
