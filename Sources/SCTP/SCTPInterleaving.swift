/// Whether an association lists user message interleaving (RFC 8260: I-DATA, and
/// I-FORWARD-TSN with partial reliability) in its Supported Extensions (RFC 5061 §4.2.7).
/// I-DATA is used when one side offers it and the other offers or accepts it.
public enum SCTPInterleaving: String, Sendable, CaseIterable, Comparable {
    /// Never listed: DATA and FORWARD-TSN only.
    case off
    /// Not listed in our INIT, listed in the INIT ACK answering an INIT that lists it: a
    /// peer that offers gets I-DATA, one that does not (browsers) gets DATA. Between two
    /// accepting sides nothing is offered, so they use DATA.
    case accept
    /// Listed in our INIT, and in an INIT ACK whenever the peer's INIT lists it or ours
    /// is outstanding (an INIT collision, RFC 9260 §5.2.1: the same parameters as our INIT).
    case offer

    /// Ordered by how much each allows: off < accept < offer.
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .off: 0
        case .accept: 1
        case .offer: 2
        }
    }
}
