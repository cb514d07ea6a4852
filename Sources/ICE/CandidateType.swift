/// How a candidate's address was obtained (RFC 8445 §5.1.1).
public enum CandidateType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// An address of a local interface.
    case host
    /// The address a STUN server saw (the outermost NAT's mapping).
    case serverReflexive = "srflx"
    /// An address learned from a connectivity check (RFC 8445 §7.2.5.3.1, §7.3.1.3).
    case peerReflexive = "prflx"
    /// An address on a TURN relay.
    case relayed = "relay"

    /// The type preference of RFC 8445 §5.1.2.2: host 126, peer-reflexive 110,
    /// server-reflexive 100, relayed 0 (direct paths first, relays last).
    public var typePreference: UInt32 {
        switch self {
        case .host: return 126
        case .peerReflexive: return 110
        case .serverReflexive: return 100
        case .relayed: return 0
        }
    }

    /// The SDP token (`host`, `srflx`, `prflx`, `relay`).
    public var description: String { rawValue }
}
