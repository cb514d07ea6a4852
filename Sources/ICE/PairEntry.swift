import NetTypes

/// A candidate pair as the check list stores it (RFC 8445 §6.1.2): the indices of its
/// candidates in the check list's candidate tables, its state and nomination flags.
///
/// A few words and trivially copyable, so the agent's walks over the check list (every
/// pacer turn, nomination and deadline) neither copy candidates nor count references;
/// `CandidatePair` is the readable view with the candidates themselves.
struct PairEntry {
    /// The local candidate (host or relayed), in `CheckList.locals`.
    let local: Int
    /// The remote candidate, in `CheckList.remotes`.
    let remote: Int
    let component: Int
    var state: CandidatePairState = .frozen
    /// The local candidate of the valid pair the pair's successful check produced
    /// (§7.2.5.3.2), in `CheckList.locals`.
    var validLocal: Int?
    /// Nominated for its component (§8.1.1); set through `CheckList.nominate`.
    var nominated = false
    /// Controlled side: the peer sent USE-CANDIDATE before this pair's own check
    /// succeeded; the pair is nominated when it does (§7.3.1.5).
    var nominateOnSuccess = false
    /// Controlling side: a check with USE-CANDIDATE is in flight for this pair.
    var nominating = false
    /// The round-trip time of the pair's last successful check sent once: from the
    /// request to its success response (libwebrtc's `Connection::rtt` sample).
    var roundTripTime: Duration?

    init(local: Int, remote: Int, component: Int) {
        self.local = local
        self.remote = remote
        self.component = component
    }

    /// Whether the pair is in the valid list.
    var isValid: Bool { state == .succeeded && validLocal != nil }
}
