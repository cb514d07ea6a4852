/// The ICE candidate type (RFC 8445 5.1.1): how the address was obtained.
public enum CandidateType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// An address of a local interface.
    case host
    /// Server reflexive: the address a NAT maps to, learnt from a STUN server.
    case serverReflexive = "srflx"
    /// Peer reflexive: an address learnt from a peer's connectivity check.
    case peerReflexive = "prflx"
    /// An address allocated on a TURN server.
    case relay

    public var description: String { rawValue }
}
