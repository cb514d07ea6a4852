import NetTypes

/// One ICE candidate (RFC 8445 §5.1): a transport address a peer may be reached on.
///
/// The agent's own model, deliberately close to the SDP `a=candidate` attribute
/// (RFC 8839 §5.1) so that an SDP candidate type converts field by field. Trivially
/// copyable (no reference-counted fields): the agent copies candidates freely.
public struct Candidate: Hashable, Sendable, CustomStringConvertible {
    /// Equal for candidates that share type, base IP, server and transport (§5.1.1.3):
    /// such candidates are likely to succeed or fail together.
    public var foundation: CandidateFoundation
    /// 1 for RTP (or everything with rtcp-mux), 2 for RTCP.
    public var component: Int
    public var transport: TransportKind
    public var priority: UInt32
    /// The transport address itself.
    public var address: Endpoint
    public var type: CandidateType
    /// `raddr`/`rport`: the base of reflexive candidates, the mapped address of relayed ones.
    public var relatedAddress: Endpoint?
    /// The local endpoint checks from this candidate leave from (RFC 8445 §5.1.1): the
    /// host address for host and reflexive candidates, the relayed address for relayed
    /// ones. For remote candidates it is the address (the peer's base is unknown).
    public var base: Endpoint
    /// Relayed candidates: how the agent reaches its TURN server (`udp`, `tcp`, `tls`; the
    /// W3C `RTCIceCandidateStats.relayProtocol`); nil for others and for remote ones.
    public var relayProtocol: TransportKind?
    /// TCP candidates (RFC 6544 §4.5): whether the candidate opens connections (`active`,
    /// port 9), accepts them (`passive`) or both at once (`so`); nil for UDP ones.
    public var tcpType: TCPCandidateType?

    public init(
        foundation: CandidateFoundation, component: Int, transport: TransportKind = .udp, priority: UInt32, address: Endpoint,
        type: CandidateType, relatedAddress: Endpoint? = nil, base: Endpoint? = nil, relayProtocol: TransportKind? = nil,
        tcpType: TCPCandidateType? = nil
    ) {
        self.relayProtocol = relayProtocol
        self.tcpType = tcpType
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.type = type
        self.relatedAddress = relatedAddress
        self.base = base ?? address
    }

    /// RFC 8445 §5.1.2.1: 2^24 × type preference + 2^8 × local preference + (256 − component).
    public static func priority(type: CandidateType, localPreference: UInt32, component: Int) -> UInt32 {
        (type.typePreference << 24) | (min(localPreference, 0xFFFF) << 8) | UInt32(256 - min(max(component, 1), 256))
    }

    /// RFC 6544 §4.2 for TCP candidates: the type preference of libwebrtc (host 90,
    /// peer-reflexive 80; `ICE_TYPE_PREFERENCE_HOST_TCP`, `_PRFLX_TCP` in p2p/base/port.h),
    /// which ranks a direct TCP path below every direct UDP one and above relays, and a
    /// local preference of 2^13 × direction preference (active 6, passive 4,
    /// simultaneous-open 2, the values §4.2 gives for hosts not behind a NAT) + the
    /// address's `localPreference` scaled to 13 bits.
    public static func tcpPriority(type: CandidateType, tcpType: TCPCandidateType, localPreference: UInt32, component: Int) -> UInt32 {
        let direction: UInt32 = switch tcpType {
        case .active: 6
        case .passive: 4
        case .simultaneousOpen: 2
        }
        let local = direction << 13 | min(localPreference, 0xFFFF) >> 3
        guard type != .host else { return (90 << 24) | (local << 8) | UInt32(256 - min(max(component, 1), 256)) }
        return peerReflexiveTCPPriority(localPreference: local, component: component)
    }

    /// The PRIORITY of a check from a TCP candidate (RFC 8445 §7.1.1): the peer-reflexive
    /// TCP type preference (80) over the candidate's own local preference field.
    static func peerReflexiveTCPPriority(localPreference: UInt32, component: Int) -> UInt32 {
        (80 << 24) | (min(localPreference, 0xFFFF) << 8) | UInt32(256 - min(max(component, 1), 256))
    }

    /// Whether a local candidate of this kind and `remote` may form a pair (RFC 8445
    /// §6.1.2.2, RFC 6544 §6.2): same transport, and for TCP complementary types.
    func pairs(with remote: Candidate) -> Bool {
        guard transport == remote.transport else { return false }
        guard transport == .tcp else { return true }
        guard let mine = tcpType, let theirs = remote.tcpType else { return false }
        return mine.counterpart == theirs
    }

    /// `foundation component transport priority address typ type [raddr rport] [tcptype t]`.
    public var description: String {
        var text = "\(foundation) \(component) \(transport) \(priority) \(address) typ \(type)"
        if let related = relatedAddress { text += " raddr \(related)" }
        if let tcpType { text += " tcptype \(tcpType)" }
        return text
    }
}
