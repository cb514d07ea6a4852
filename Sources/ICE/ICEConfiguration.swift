import NetTypes
import STUN

/// Everything that shapes an agent's behaviour. The defaults follow what browsers do
/// (libwebrtc, `ICENominationPolicy.libwebrtc`) where the RFCs leave a choice, and the
/// RFCs elsewhere.
public struct ICEConfiguration: Sendable {
    /// Pacing, check ordering, nomination and pair switching: libwebrtc's by default.
    public var nomination: ICENominationPolicy = .libwebrtc
    /// Components of the single data stream: 1 with rtcp-mux, 2 for RTP + RTCP.
    public var components: Int = 1
    /// STUN servers for server-reflexive candidates (RFC 8445 §5.1.1.2).
    public var stunServers: [Endpoint] = []
    /// TURN servers for relayed candidates, reached through the relay factory.
    public var relayServers: [ICERelayServer] = []
    /// Which local candidates to use.
    public var transportPolicy: ICETransportPolicy = .all
    /// An ICE-lite agent (RFC 8445 §2.5): host candidates only, always controlled, never
    /// sends checks; it answers them and takes the pair the peer nominates.
    public var isLite = false
    /// Ta, the pacing of new STUN transactions (checks, gathering): libwebrtc's
    /// `kWeakPingInterval`, 48 ms (p2p/base/p2p_constants.h); RFC 8445 §14.2 suggests
    /// 50 ms (`ICENominationPolicy.pacingInterval` gives each policy's).
    public var pacingInterval: Duration = ICENominationPolicy.libwebrtc.pacingInterval
    /// libwebrtc policy: the pacing once the transport is strongly connected (every
    /// component selected, the pairs still checked pinged `weakPings` times):
    /// `kStrongPingInterval`, 480 ms (p2p/base/p2p_constants.h).
    public var strongPacingInterval: Duration = .milliseconds(480)
    /// libwebrtc policy: pings per pair at the weak interval before the pacing may slow
    /// down (`MIN_PINGS_AT_WEAK_PING_INTERVAL`, 3, p2p/base/p2p_transport_channel.h).
    public var weakPings = 3
    /// libwebrtc policy: an unanswered pair fails this long after its first check
    /// (`CONNECTION_WRITE_TIMEOUT`, 15 s, the default `ice_inactive_timeout`); its check
    /// is repeated by the pacer meanwhile instead of on an RTO schedule.
    public var checkTimeout: Duration = .seconds(15)
    /// Lower bound of a check's first RTO: 500 ms (RFC 8445 §14.3). Checks of the RFC
    /// policies and consent checks retransmit on RTOs; libwebrtc's are repeated by the pacer.
    public var minimumRTO: Duration = .milliseconds(500)
    /// Upper bound of any retransmission interval of a check (the doubling stops there).
    public var maximumRTO: Duration = .seconds(3)
    /// Rc for connectivity checks: sends in all before the pair fails (RFC 8489 §6.2.1: 7).
    public var checkTransmissions = 7
    /// The largest number of pairs in the check list (RFC 8445 §6.1.2.5: 100).
    public var maximumPairs = 100
    /// ICE-TCP (RFC 6544): the most connections the agent keeps at once, accepted and
    /// opened; more are closed (a peer cannot make it hold unbounded state).
    public var maximumTCPConnections = 100
    /// Regular nomination (`ICENominationPolicy.regular`): how long the controlling agent waits after a component's first
    /// valid pair for better pairs to succeed before it nominates the best one. It
    /// nominates at once when the best pair possible succeeds after the peer signalled
    /// end-of-candidates.
    public var nominationWait: Duration = .milliseconds(500)
    /// Without a selected pair for every component this long after checks start, the
    /// agent fails.
    public var checkingTimeout: Duration = .seconds(30)
    /// Tr: a Binding indication goes on an idle selected pair this often (RFC 8445 §11).
    public var keepaliveInterval: Duration = .seconds(15)
    /// Whether the selected pair's consent is refreshed (RFC 7675); on for full agents.
    public var consentFreshness = true
    /// Mean interval between consent checks, randomised in [0.8, 1.2] × it (RFC 7675 §5.1).
    public var consentInterval: Duration = .seconds(5)
    /// Consent is lost (state failed, sending stops) this long after the last response
    /// (RFC 7675 §5.1: 30 s).
    public var consentTimeout: Duration = .seconds(30)
    /// The state turns disconnected this long after the last consent response.
    public var disconnectedTimeout: Duration = .milliseconds(7_500)
    /// Retransmissions of server-reflexive gathering requests (RFC 8489 §6.2).
    public var gatheringTransactions = STUNTransactionConfiguration()

    public init() {}
}
