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

    public init(
        foundation: CandidateFoundation, component: Int, transport: TransportKind = .udp, priority: UInt32, address: Endpoint,
        type: CandidateType, relatedAddress: Endpoint? = nil, base: Endpoint? = nil, relayProtocol: TransportKind? = nil
    ) {
        self.relayProtocol = relayProtocol
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

    /// `foundation component transport priority address typ type [raddr rport]`.
    public var description: String {
        var text = "\(foundation) \(component) \(transport) \(priority) \(address) typ \(type)"
        if let related = relatedAddress { text += " raddr \(related)" }
        return text
    }
}
