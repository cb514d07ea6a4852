/// The role of a TCP candidate (RFC 6544 §4.5): who opens the connection. Shared by
/// the SDP codec (`a=candidate … tcptype`) and the ICE agent, which pairs and checks by it.
public enum TCPCandidateType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Opens outgoing connections only (port 9, discard, is written, RFC 6544 §4.5).
    case active
    /// Accepts incoming connections only.
    case passive
    /// Simultaneous open.
    case simultaneousOpen = "so"

    /// The type a candidate of this type pairs with (RFC 6544 §6.2): active with passive,
    /// simultaneous-open with simultaneous-open.
    public var counterpart: TCPCandidateType {
        switch self {
        case .active: .passive
        case .passive: .active
        case .simultaneousOpen: .simultaneousOpen
        }
    }

    public var description: String { rawValue }
}
