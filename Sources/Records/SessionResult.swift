import NetTypes

/// The outcome and metrics of one ICE session.
public struct SessionResult: Sendable {
    public var name: String
    public var offerer: String
    public var answerer: String
    public var connected: Bool
    /// From the session's start to the first `connected` state.
    public var connectedTime: Duration?
    /// From the session's start until both sides had a selected pair.
    public var nominatedTime: Duration?
    public var selectedLocalType: String?
    public var selectedRemoteType: String?
    public var selectedProtocol: String?
    public var finalState: String
    public var checksSent: Int
    public var checksReceived: Int
    public var checksRetransmitted: Int
    public var stunBytes: Int
    public var pairsFormed: Int
    public var relayUsed: Bool
    /// How the selected pair's relay(s) reached their TURN server: `udp`, `tcp`, `tls`;
    /// `tcp+udp` when both ends relay differently (offerer's first); nil without relay.
    public var relayProtocol: String?
    /// The DTLS handshake after ICE (W3C `RTCDtlsTransportState`): `connected`, `failed`,
    /// `connecting` when the run ended mid-handshake, `new` when ICE never got there; nil
    /// when the session ran without DTLS (`dtls: false`).
    public var dtlsState: String?
    /// From the session's start until both DTLS endpoints were connected.
    public var dtlsTime: Duration?
    /// From the session's start until the first media frame was received whole
    /// (decrypted, with DTLS): what a user waits for.
    public var firstMediaTime: Duration?
    /// Handshake flights both endpoints sent again.
    public var dtlsRetransmissions: Int
    /// Why the handshake failed (`timeout`, `mtu`, `fingerprint-mismatch`, ...); nil unless it did.
    public var dtlsFailure: String?
    /// The negotiated SRTP profile (`SRTP_AEAD_AES_128_GCM`, `SRTP_AES128_CM_SHA1_80`).
    public var srtpProfile: String?
    /// From the offerer's first offer until it applied an answer (RFC 8829 offer/answer
    /// over the session's signaling channel); nil when no answer arrived.
    public var signalingTime: Duration?
    /// Signaling messages (offers, answers, trickled candidates) the channel lost.
    public var signalingLost: Int
    public var candidates: [CandidateRecord]
    public var pairs: [PairRecord]

    public init(name: String, offerer: String, answerer: String, connected: Bool, connectedTime: Duration? = nil,
                nominatedTime: Duration? = nil, selectedLocalType: String? = nil, selectedRemoteType: String? = nil,
                selectedProtocol: String? = nil, finalState: String, checksSent: Int = 0, checksReceived: Int = 0,
                checksRetransmitted: Int = 0, stunBytes: Int = 0, pairsFormed: Int = 0, relayUsed: Bool = false,
                relayProtocol: String? = nil, dtlsState: String? = nil, dtlsTime: Duration? = nil, firstMediaTime: Duration? = nil,
                dtlsRetransmissions: Int = 0, dtlsFailure: String? = nil, srtpProfile: String? = nil,
                signalingTime: Duration? = nil, signalingLost: Int = 0, candidates: [CandidateRecord] = [], pairs: [PairRecord] = []) {
        self.name = name
        self.offerer = offerer
        self.answerer = answerer
        self.connected = connected
        self.connectedTime = connectedTime
        self.nominatedTime = nominatedTime
        self.selectedLocalType = selectedLocalType
        self.selectedRemoteType = selectedRemoteType
        self.selectedProtocol = selectedProtocol
        self.finalState = finalState
        self.checksSent = checksSent
        self.checksReceived = checksReceived
        self.checksRetransmitted = checksRetransmitted
        self.stunBytes = stunBytes
        self.pairsFormed = pairsFormed
        self.relayUsed = relayUsed
        self.relayProtocol = relayProtocol
        self.dtlsState = dtlsState
        self.dtlsTime = dtlsTime
        self.firstMediaTime = firstMediaTime
        self.dtlsRetransmissions = dtlsRetransmissions
        self.dtlsFailure = dtlsFailure
        self.srtpProfile = srtpProfile
        self.signalingTime = signalingTime
        self.signalingLost = signalingLost
        self.candidates = candidates
        self.pairs = pairs
    }
}

/// A candidate an agent gathered.
public struct CandidateRecord: Sendable {
    /// `offerer` or `answerer`.
    public var agent: String
    public var type: String
    public var transport: String
    /// Kept as a value: formatted only where it is written (a run's records are made for
    /// every run, written for some).
    public var address: Endpoint
    public var priority: UInt32
    public var time: Duration

    public init(agent: String, type: String, transport: String, address: Endpoint, priority: UInt32, time: Duration) {
        self.agent = agent
        self.type = type
        self.transport = transport
        self.address = address
        self.priority = priority
        self.time = time
    }
}

/// A candidate pair's final state on one agent.
public struct PairRecord: Sendable {
    public var agent: String
    public var localType: String
    public var remoteType: String
    public var local: Endpoint
    public var remote: Endpoint
    public var state: String
    public var nominated: Bool

    public init(agent: String, localType: String, remoteType: String, local: Endpoint, remote: Endpoint, state: String, nominated: Bool) {
        self.agent = agent
        self.localType = localType
        self.remoteType = remoteType
        self.local = local
        self.remote = remote
        self.state = state
        self.nominated = nominated
    }
}
