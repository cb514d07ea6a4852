import NetTypes
import STUN

/// A full (or lite) ICE agent for one data stream of one or more components: RFC 8445
/// with Trickle ICE (RFC 8838) and consent freshness (RFC 7675), as a sans-IO core.
///
/// The driver binds one socket per host base, hands the bases to `startGathering`, sends
/// every `.transmit` from the socket of its `source`, feeds every datagram received on
/// those sockets to `handle(_:now:)` and calls `handleTimeout(now:)` at the reported
/// deadline. Signalling (candidates, credentials, end-of-candidates, lite) goes through
/// the methods below; everything the application should know comes out as timestamped
/// `ICEEvent`s. Relayed candidates come from `ICERelayClient`s built by the relay factory
/// and driven through the agent's own inputs and outputs.
///
/// Relays reached over TCP or TLS and ICE-TCP candidates (RFC 6544) make the agent a
/// `StreamCore`: their stream bytes leave as `.transmit`s of transport `.tcp`/`.tls`
/// (from the relay's host base; from a TCP candidate's base, RFC 4571-framed), the
/// driver announces connections accepted on TCP bases with `streamOpened` and reports a
/// lost connection with `streamClosed`.
public struct ICEAgent: StreamCore {
    public typealias Event = ICEEvent

    public let configuration: ICEConfiguration
    /// Controlling or controlled; changes on a role conflict or when the peer is lite.
    public internal(set) var role: ICERole
    /// The 64-bit tie-breaker of ICE-CONTROLLING / ICE-CONTROLLED (§7.1.3).
    public let tieBreaker: UInt64
    public internal(set) var connectionState: ICEConnectionState = .new
    public internal(set) var gatheringState: ICEGatheringState = .new
    public internal(set) var metrics = ICEMetrics()
    /// Local candidates: gathered ones and peer-reflexive ones learned from checks.
    public internal(set) var localCandidates: [Candidate] = []
    /// Remote candidates of the current session: signalled and peer-reflexive.
    public internal(set) var remoteCandidates: [Candidate] = []
    public internal(set) var checkList = CheckList()
    /// Whether the peer announced itself as ICE-lite.
    public internal(set) var remoteIsLite = false

    var rng: Xoshiro256
    let relayFactory: ICERelayFactory?
    var session: SessionCredentials
    /// The session before the last restart: its checks are still answered (consent of the
    /// old selected pair) until a new pair is selected.
    var previousSession: SessionCredentials?
    var generation = 0
    var hostBases: [ICEHostBase] = []
    var localPreferences: [IPAddress: UInt32] = [:]
    var foundations = FoundationTable()
    var gatheringJobs: [GatheringJob] = []
    var stunTransactions: STUNTransactionTable
    var stunQueries: [STUNTransactionID: STUNQuery] = [:]
    /// Searched by index (`relays.indices`), not by element: a slot holds an existential
    /// client, so iterating the elements would copy it.
    var relays: [RelaySlot] = []
    var checks: [STUNTransactionID: CheckTransaction] = [:]
    var checkSequence = 0
    var selected: [Int: SelectedPair] = [:]
    var firstValid: [Int: Instant] = [:]
    var startTime: Instant?
    var checksStarted: Instant?
    var checkingTimedOut = false
    var lastPaced: Instant?
    var remoteEndOfCandidates = false
    var peerReflexiveCount = 0
    /// ICE-TCP connections (accepted on passive bases, opened from active ones) and their
    /// partly received frames.
    var tcpConnections: [TCPConnectionKey: TCPFrameReader] = [:]
    var outputs = OutputQueue<ICEEvent>()
    /// The latest `now` seen: deadlines at or before it have been handled.
    var lastUpdate = Instant.zero
    var timers = TimerTable<ICETimer>()

    /// An agent with fresh credentials and tie-breaker drawn from `rng`. A lite agent is
    /// always controlled.
    public init(configuration: ICEConfiguration, role: ICERole, rng: Xoshiro256, relayFactory: ICERelayFactory? = nil) {
        var rng = rng
        self.configuration = configuration
        self.role = configuration.isLite ? .controlled : role
        tieBreaker = rng.next()
        session = SessionCredentials(local: .random(using: &rng))
        stunTransactions = STUNTransactionTable(configuration: configuration.gatheringTransactions, rng: Xoshiro256(seed: rng.next()))
        self.rng = rng
        self.relayFactory = relayFactory
    }

    /// The port of active TCP candidates and of their bases (RFC 6544 §4.5: discard, 9).
    public static let activeTCPPort: UInt16 = 9

    /// The credentials to signal (`a=ice-ufrag`, `a=ice-pwd`); new after `restart`.
    public var localCredentials: ICECredentials { session.local }

    /// The timer that fires next and its deadline (nil when none is armed or the agent is
    /// closed): what a trace prints as the reason of the next wake-up.
    public var nextTimer: (timer: ICETimer, deadline: Instant)? {
        connectionState == .closed ? nil : timers.nextTimer(after: lastUpdate)
    }

    /// The selected pair of `component`, if any.
    public func selectedPair(component: Int) -> (local: Candidate, remote: Candidate)? {
        selected[component].map { ($0.local, $0.remote) }
    }

    /// The selected pair's latest round-trip time (its checks' and consent checks'); nil
    /// without a selected pair or a measurement.
    public func selectedRoundTripTime(component: Int) -> Duration? {
        selected[component]?.roundTripTime
    }

    /// The valid list (§7.2.5.3.2): pairs whose checks succeeded, best first.
    public var validPairs: [CandidatePair] {
        checkList.pairs.filter(\.isValid).sorted { $0.priority(role: role) > $1.priority(role: role) }
    }

    // MARK: Signalling

    /// Starts the agent: host candidates on `hostBases` (in the driver's order of
    /// interface preference), then server-reflexive and relayed ones, paced by Ta.
    public mutating func startGathering(hostBases: [ICEHostBase], now: Instant) {
        guard gatheringState == .new, connectionState != .closed else { return }
        startTime = now
        gather(from: hostBases, now: now)
    }

    /// Gathers every kind of local candidate from `hostBases`.
    private mutating func gather(from hostBases: [ICEHostBase], now: Instant) {
        self.hostBases = hostBases
        localPreferences = LocalPreference.assign(hostBases.map(\.endpoint.address))
        setGatheringState(.gathering, now: now)
        gatherHostCandidates(now: now)
        queueServerQueries()
        update(now: now)
    }

    /// The peer's credentials (`a=ice-ufrag`/`a=ice-pwd`) and whether it is lite. Facing
    /// a lite peer, a full agent takes the controlling role (§6.1.1).
    public mutating func setRemoteCredentials(_ credentials: ICECredentials, isLite: Bool = false, now: Instant) {
        guard connectionState != .closed else { return }
        session.setRemote(credentials)
        remoteIsLite = isLite
        if isLite && !configuration.isLite && role == .controlled { switchRole(to: .controlling, now: now) }
        update(now: now)
    }

    /// A remote candidate, signalled or trickled (RFC 8838 §11): paired at once. A
    /// candidate already known as peer-reflexive takes the signalled type and priority.
    public mutating func addRemoteCandidate(_ candidate: Candidate, now: Instant) {
        guard connectionState != .closed, candidate.component >= 1, candidate.component <= configuration.components else { return }
        if let known = remoteCandidates.firstIndex(where: {
            $0.address == candidate.address && $0.component == candidate.component && $0.transport == candidate.transport
        }) {
            remoteCandidates[known] = candidate
            checkList.updateRemote(candidate)
        } else {
            remoteCandidates.append(candidate)
            formPairs(now: now)
        }
        update(now: now)
    }

    /// The peer will send no more candidates in this session (RFC 8838 §13).
    public mutating func endOfRemoteCandidates(now: Instant) {
        remoteEndOfCandidates = true
        update(now: now)
    }

    /// An ICE restart (§9): new local credentials and a new check list; the selected
    /// pairs keep carrying data (and answering consent with the old credentials) until
    /// the new session selects. Local candidates are kept and announced again; the caller
    /// signals the new credentials and later `setRemoteCredentials` with the peer's.
    public mutating func restart(now: Instant) {
        guard connectionState != .closed else { return }
        beginNewSession()
        localCandidates.removeAll { $0.type == .peerReflexive }
        if gatheringState == .complete {
            for candidate in localCandidates { emit(.candidateGathered(candidate), now: now) }
            emit(.gatheringStateChanged(.gathering), now: now)
            emit(.gatheringStateChanged(.complete), now: now)
        }
        update(now: now)
    }

    /// An ICE restart after a network change (a handover to new host addresses, a NAT
    /// that lost its mappings): like `restart(now:)`, but every local candidate is
    /// gathered anew from `hostBases` — host, server-reflexive and relayed. The selected
    /// pairs keep carrying data until the new session selects, as far as they still work.
    public mutating func restart(hostBases: [ICEHostBase], now: Instant) {
        guard connectionState != .closed else { return }
        beginNewSession()
        for id in stunQueries.keys { stunTransactions.cancel(id) }
        stunQueries = [:]
        gatheringJobs = []
        relays = []
        localCandidates = []
        closeTCPConnections()
        gather(from: hostBases, now: now)
    }

    /// New credentials and an empty check list; what both kinds of restart share.
    private mutating func beginNewSession() {
        previousSession = session
        session = SessionCredentials(local: .random(using: &rng))
        generation += 1
        remoteCandidates = []
        checkList = CheckList()
        checks = checks.filter { if case .consent = $0.value.purpose { true } else { false } }
        firstValid = [:]
        remoteEndOfCandidates = false
        checkingTimedOut = false
        checksStarted = nil
        selected = selected.filter { !$0.value.consentLost }
    }

    /// Stops everything: no more datagrams, state closed.
    public mutating func close(now: Instant) {
        guard connectionState != .closed else { return }
        checks = [:]
        gatheringJobs = []
        selected = [:]
        for id in stunQueries.keys { stunTransactions.cancel(id) }
        stunQueries = [:]
        closeTCPConnections()
        setConnectionState(.closed, now: now)
    }

    // MARK: Data

    /// Sends application data on the selected pair of `component`; false when there is
    /// none or its consent has expired (RFC 7675 §5.1: sending must stop), or when the
    /// pair is TCP and `bytes` exceed one RFC 4571 frame (65,535 bytes). `ecn` is the IP
    /// ECN field the datagram leaves with (ECN-capable media, RFC 6679; on a relayed pair
    /// the datagram to the TURN server carries it, RFC 8656 §12.6; TCP pairs ignore it).
    @discardableResult
    public mutating func send(_ bytes: [UInt8], component: Int = 1, ecn: ECNCodepoint = .notECT, now: Instant) -> Bool {
        guard var pair = selected[component], !pair.consentLost, connectionState != .closed else { return false }
        guard pair.local.transport != .tcp || bytes.count <= TCPFrameReader.maximumPayload else { return false }
        pair.lastSent = now
        selected[component] = pair
        metrics.dataSent += 1
        transmit(bytes, from: pair.local.base, to: pair.remote.address, transport: pair.local.transport, ecn: ecn, now: now)
        // No update follows data: re-arm what sending moved (the keepalive; a relay
        // client's timers when the pair is relayed).
        armConsentTimers()
        armRelayTimer()
        return true
    }

    // MARK: SansIOCore

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard connectionState != .closed else { return }
        if let relay = relayIndex(base: datagram.destination, server: datagram.source, transport: datagram.transport) {
            relays[relay].client.handle(datagram, now: now)
            drainRelay(relay, now: now)
        } else if datagram.transport == .tcp {
            receiveStream(datagram, now: now)
        } else if datagram.transport == .udp {
            receive(datagram.payload, at: datagram.destination, from: datagram.source, transport: .udp, ecn: datagram.ecn, now: now)
            // Media, DTLS or an unknown kind changes nothing `update` reads: skip it (the
            // per-packet cost on a selected pair) unless a timer of its is due.
            if PacketKind(classifying: datagram.payload) != .stun, updateIsIdle(at: now) {
                lastUpdate = max(lastUpdate, now)
                return
            }
        }
        update(now: now)
    }

    public mutating func handleTimeout(now: Instant) {
        guard connectionState != .closed else { return }
        update(now: now)
    }

    /// A connection accepted on a TCP base: kept when the base is a passive candidate's
    /// and the agent holds fewer than `maximumTCPConnections`, else closed.
    public mutating func streamOpened(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        acceptTCPConnection(TCPConnectionKey(local: local, remote: remote), transport: transport)
    }

    /// A relay's connection to its TURN server ended: its allocation and candidate go. An
    /// ICE-TCP connection ended (closed, reset, refused): the pairs on it fail.
    public mutating func streamClosed(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant) {
        guard connectionState != .closed else { return }
        if let relay = relayIndex(base: local, server: remote, transport: transport) {
            relays[relay].client.streamClosed(now: now)
            drainRelay(relay, now: now)
        } else if transport == .tcp {
            tcpConnectionClosed(TCPConnectionKey(local: local, remote: remote), now: now)
        }
        update(now: now)
    }

    /// The relay that talks to `server` over `transport` from `base`.
    private func relayIndex(base: Endpoint, server: Endpoint, transport: TransportKind) -> Int? {
        relays.indices.first {
            relays[$0].request.base == base && relays[$0].request.server.endpoint == server && relays[$0].request.server.transport == transport
        }
    }

    public mutating func pollOutput() -> CoreOutput<ICEEvent> {
        if let output = outputs.next() { return output }
        return .timeout(connectionState == .closed ? .distantFuture : nextDeadline())
    }

    // MARK: Shared plumbing

    mutating func emit(_ kind: ICEEvent.Kind, now: Instant) {
        outputs.append(.event(ICEEvent(time: now, kind: kind)))
    }

    /// Sends `payload` from a local base: over the ICE-TCP connection between `base` and
    /// `remote` (opened by the driver if there is none), directly, or through the relay
    /// whose relayed address the base is.
    mutating func transmit(_ payload: [UInt8], from base: Endpoint, to remote: Endpoint, transport: TransportKind = .udp,
                           ecn: ECNCodepoint = .notECT, now: Instant) {
        if PacketKind(classifying: payload) == .stun { metrics.stunBytesSent += payload.count }
        if transport == .tcp {
            transmitStream(payload, on: TCPConnectionKey(local: base, remote: remote))
        } else if let relay = relays.indices.first(where: { relays[$0].relayed?.address == base }) {
            relays[relay].client.send(payload, to: remote, ecn: ecn, now: now)
            drainRelay(relay, now: now)
        } else {
            outputs.append(.transmit(Datagram(source: base, destination: remote, payload: payload, ecn: ecn)))
        }
    }

    mutating func setConnectionState(_ state: ICEConnectionState, now: Instant) {
        guard state != connectionState else { return }
        connectionState = state
        if state == .connected || state == .completed, metrics.timeToFirstConnected == nil, let start = startTime {
            metrics.timeToFirstConnected = now - start
        }
        emit(.connectionStateChanged(state), now: now)
    }

    mutating func setGatheringState(_ state: ICEGatheringState, now: Instant) {
        guard state != gatheringState else { return }
        gatheringState = state
        emit(.gatheringStateChanged(state), now: now)
    }

    mutating func switchRole(to newRole: ICERole, now: Instant) {
        guard newRole != role, !configuration.isLite else { return }
        role = newRole
        for i in checkList.entries.indices { checkList[i].nominating = false }
        emit(.roleChanged(newRole), now: now)
    }
}
