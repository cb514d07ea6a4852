import ICE
import NetTypes
import Records
import SDP
import SimulatedTCP
import Simulator

/// One ICE session of a scenario: two real `ICEAgent`s on simulated hosts, and JSEP
/// between them (SDP offer and answer, trickled candidates, end-of-candidates, ICE
/// restarts) over the session's modelled signaling channel
/// (`SessionRunner+Signaling.swift`); then, unless `dtls: false`, DTLS-SRTP between them
/// (`SessionSecurity`).
final class SessionRunner {
    let spec: SessionSpec
    var name: String { spec.name }
    let network: SimulatedNetwork
    let log: EventLog
    var offerer: Side!
    var answerer: Side!
    /// The channel offers, answers and candidates travel on.
    let channel: SignalingChannel
    /// The signaling server node the sides connect to instead (`signaling.server`).
    let signalingServer: (name: String, endpoint: Endpoint)?
    /// When the offerer first sent its offer, and first applied an answer (`signaling_ms`).
    var offerSentAt: Instant?
    var answerAppliedAt: Instant?
    /// The session's media flows, if it has any.
    var media: SessionMedia?
    /// The session's DTLS endpoints and SRTP contexts; nil with `dtls: false`.
    var security: SessionSecurity?
    /// The session's data channels over SCTP over DTLS, if it has any.
    var data: SessionData?

    /// One agent, its driver and what it reported.
    final class Side {
        let role: String
        let host: Host
        let driver: SimCoreDriver<ICEAgent>
        /// The agent's TCP connections (TURN over TCP/TLS, ICE-TCP), when it has any.
        var streams: SimStreamTransport<ICEAgent>?
        var states: [(time: Instant, state: ICEConnectionState)] = []
        /// When the agent first had a usable pair for every component (state connected).
        var firstConnected: Instant?
        /// When the agent started gathering (nil before): its metrics count from there.
        var started: Instant?
        /// When every selected pair of the agent was first nominated.
        var firstNominated: Instant? { started.flatMap { start in driver.core.metrics.timeToNominated.map { start + $0 } } }
        var selected: (local: Candidate, remote: Candidate)?
        var candidates: [CandidateRecord] = []
        /// Where its offer/answer exchange stands.
        var negotiation: SessionNegotiation
        /// Its connection to the session's signaling server node (`signaling.server`).
        var signaling: SignalingConnection?

        init(role: String, host: Host, driver: SimCoreDriver<ICEAgent>, negotiation: SessionNegotiation) {
            self.role = role
            self.host = host
            self.driver = driver
            self.negotiation = negotiation
        }
    }

    /// `bottleneck` gives the link direction a flow's capacity is read from.
    init(_ spec: SessionSpec, network: SimulatedNetwork, servers: ServerSet, log: EventLog,
         bottleneck: @escaping (MediaSpec, _ fromOfferer: Bool) -> LinkDirection? = { _, _ in nil }) throws(ScenarioError) {
        self.spec = spec
        self.network = network
        self.log = log
        channel = SignalingChannel(spec.signaling, session: spec.name, simulation: network.simulation)
        signalingServer = spec.signaling.server.flatMap { name in servers.references[name]?.endpoints[.tcp].map { (name, $0) } }
        guard let offererHost = network.hosts[spec.offerer], let answererHost = network.hosts[spec.answerer] else {
            throw ScenarioError(spec.location, "session '\(spec.name)' names a host that was not built")
        }
        offerer = makeSide("offerer", host: offererHost, lite: spec.lite == .offerer, role: .controlling, servers: servers)
        answerer = makeSide("answerer", host: answererHost, lite: spec.lite == .answerer,
                            role: spec.roleConflict ? .controlling : .controlled, servers: servers)
        network.simulation.schedule(at: .zero + spec.start) { [self] _ in start() }
        if let dtls = spec.dtls {
            let security = try SessionSecurity(dtls, session: spec, simulation: network.simulation, log: log)
            security.transmit = { [unowned self] fromOfferer, bytes in
                (fromOfferer ? offerer : answerer).driver.withCore { agent, now in _ = agent.send(bytes, component: 1, now: now) }
            }
            if !spec.data.isEmpty {
                let data = SessionData(spec, simulation: network.simulation, log: log)
                data.transmit = { [unowned security] fromOfferer, bytes in security.sendApplicationData(bytes, fromOfferer: fromOfferer) }
                security.onApplicationData = { [unowned data] atOfferer, bytes in data.received(bytes, atOfferer: atOfferer) }
                self.data = data
            }
            security.onConnected = { [unowned self] atOfferer, isClient, local, remote in
                media?.startReady()
                data?.secured(atOfferer: atOfferer, isClient: isClient, local: local, remote: remote)
            }
            self.security = security
        }
        if !spec.media.isEmpty {
            let media = SessionMedia(spec, simulation: network.simulation, capacity: bottleneck)
            media.agents = (offerer.driver, answerer.driver)
            media.security = security
            self.media = media
        }
        scheduleAdditions()
    }

    private func makeSide(_ role: String, host: Host, lite: Bool, role iceRole: ICERole, servers: ServerSet) -> Side {
        var configuration = ICEConfiguration()
        configuration.isLite = lite
        configuration.nomination = spec.nomination
        configuration.pacingInterval = spec.ta
        configuration.transportPolicy = spec.policy == .relay ? .relay : .all
        let families = Set(host.interfaces.flatMap { $0.addresses.map(\.address.family) })
        for entry in spec.iceServers {
            guard let server = servers.references[entry.name] else { continue }
            for (endpoint, relayFamily) in server.endpoints(over: entry.transport, forClientWith: families) {
                switch server.kind {
                case .signaling: continue
                case .stun: configuration.stunServers.append(endpoint)
                case .turn:
                    let user = server.users.first { $0.name == host.name } ?? server.users[0]
                    configuration.relayServers.append(ICERelayServer(endpoint: endpoint, username: user.name, password: user.password,
                                                                     families: [relayFamily], transport: entry.transport, tls: server.tls,
                                                                     tlsServerName: server.tlsName, tlsSeeded: true))
                }
            }
        }
        let rng = network.simulation.randomStream(for: "session:\(spec.name):\(role)")
        let agent = ICEAgent(configuration: configuration, role: iceRole, rng: rng, relayFactory: servers.relayFactory)
        var ids = network.simulation.randomStream(for: "sdp:\(spec.name):\(role)")
        let negotiation = SessionNegotiation(sessionID: ids.next() >> 1, sections: SessionSection.initial(for: spec))
        let side = Side(role: role, host: host, driver: SimCoreDriver(host: host, core: agent), negotiation: negotiation)
        if spec.tcpCandidates || spec.tcpSimultaneousOpen || configuration.relayServers.contains(where: { $0.transport.isReliable }) {
            side.streams = SimStreamTransport(driver: side.driver)
        }
        side.driver.onEvent = { [unowned self, unowned side] event, _ in handle(event, from: side) }
        return side
    }

    func other(_ side: Side) -> Side { side === offerer ? answerer : offerer }

    /// Sockets on every current address of the host: the agent's host candidate bases,
    /// UDP ones, then (with `tcp-candidates`) a TCP listener on each address and (with
    /// `tcp-simultaneous-open`) a bound TCP port on each address.
    func bindBases(_ side: Side) -> [ICEHostBase] {
        var bases: [ICEHostBase] = []
        let addresses = side.host.interfaces.flatMap { $0.addresses.map(\.address) }
        for address in addresses {
            if let endpoint = try? side.driver.bind(Endpoint(address, 0)) {
                bases.append(ICEHostBase(endpoint: endpoint, component: 1))
            }
        }
        if spec.tcpCandidates, let streams = side.streams {
            for address in addresses {
                if let endpoint = try? streams.listen(on: Endpoint(address, 0), transport: .tcp) {
                    bases.append(ICEHostBase(endpoint: endpoint, component: 1, transport: .tcp))
                }
            }
        }
        if spec.tcpSimultaneousOpen, let streams = side.streams {
            for address in addresses {
                if let endpoint = try? streams.bind(Endpoint(address, 0)) {
                    bases.append(ICEHostBase(endpoint: endpoint, component: 1, transport: .tcp, simultaneousOpen: true))
                }
            }
        }
        return bases
    }

    // MARK: Events

    private func handle(_ event: ICEEvent, from side: Side) {
        let now = event.time
        switch event.kind {
        case .candidateGathered(let candidate):
            side.candidates.append(CandidateRecord(agent: side.role, type: candidate.type.rawValue, transport: candidate.transport.rawValue,
                                                   address: candidate.address, priority: candidate.priority,
                                                   time: now - (.zero + spec.start)))
            log.add(session: name, source: side.role, kind: "candidate", "\(candidate.type) \(candidate.address)")
            if spec.trickle { trickle(candidate, from: side) }
        case .gatheringStateChanged(let state):
            log.add(session: name, source: side.role, kind: "gathering", state.rawValue)
            guard state == .complete else { return }
            if side.negotiation.awaitingGathering {
                if side.negotiation.state == .haveLocalOffer { sendOffer(from: side) } else { sendAnswer(from: side) }
            } else if spec.trickle {
                trickle(nil, from: side)
            }
        case .connectionStateChanged(let state):
            side.states.append((now, state))
            if (state == .connected || state == .completed) && side.firstConnected == nil { side.firstConnected = now }
            log.add(session: name, source: side.role, kind: "state", state.rawValue)
            media?.startReady()
        case .selectedPairChanged(_, let local, let remote):
            side.selected = (local, remote)
            log.add(session: name, source: side.role, kind: "selected", "\(local.type) \(local.address) -> \(remote.type) \(remote.address)")
            security?.iceWritable(atOfferer: side === offerer, local: local.address, remote: remote.address,
                                  roundTrip: side.driver.core.selectedRoundTripTime(component: 1))
            media?.startReady()
        case .data(_, let bytes, let ecn):
            // Without DTLS media arrives in clear; with it, DTLS records and what fails to
            // authenticate stop here.
            guard let plain = security.map({ $0.received(bytes, atOfferer: side === offerer) }) ?? bytes else { return }
            media?.received(plain, atOfferer: side === offerer, ecn: ecn)
        case .pairNominated(let local, let remote):
            log.add(session: name, source: side.role, kind: "nominated", "\(local.type) \(local.address) -> \(remote.type) \(remote.address)")
        case .roleChanged(let role):
            log.add(session: name, source: side.role, kind: "role", "\(role)")
        case .pairStateChanged:
            break
        }
    }

    // MARK: Timeline actions

    func involves(_ host: String) -> Bool { spec.offerer == host || spec.answerer == host }

    /// Constrains media flow `flow` to new rates (nil keeps a bound); returns the bounds
    /// in force, nil when the flow does not exist.
    func constrain(flow: Int, minRate: Bitrate?, maxRate: Bitrate?) -> (min: Bitrate, max: Bitrate)? {
        media?.constrain(flow: flow, minRate: minRate, maxRate: maxRate)
    }

    /// ICE restart from the offerer (JSEP: a new offer with new credentials).
    func restartICE() { restart(regatherOn: nil) }

    /// The host changed networks: its side restarts ICE and gathers from the new addresses.
    func hostMoved(_ host: String) {
        let side = offerer.host.name == host ? offerer! : answerer!
        restart(regatherOn: side)
    }

    func restartSide(_ side: Side, regather: Bool) {
        if regather {
            let bases = bindBases(side)
            side.driver.withCore { agent, now in agent.restart(hostBases: bases, now: now) }
        } else {
            side.driver.withCore { agent, now in agent.restart(now: now) }
        }
    }

    // MARK: Result

    /// The time series of the session's media flows and data channels.
    var series: [SeriesSample] { (media?.series ?? []) + (data?.series ?? []) }

    /// The session's data channels.
    var dataChannels: [DataChannelResult] { data?.results ?? [] }

    /// The session's media flows' series, by flow index.
    var flowSeries: [FlowSeries] { media?.flows.map(\.series) ?? [] }

    /// A pair's state when the run ended: `succeeded` and `failed` as ICE left them;
    /// `frozen`, `waiting` and `in-progress` are `unfinished` (checks had not concluded,
    /// or never started, when the run ended or ICE stopped checking).
    static func finalState(_ state: CandidatePairState) -> String {
        switch state {
        case .succeeded, .failed: return state.rawValue
        case .frozen, .waiting, .inProgress: return "unfinished"
        }
    }

    /// How the selected pair's relays reach their servers: each side's own relayed
    /// candidate knows (`Candidate.relayProtocol`); `tcp+udp` when they differ.
    private func relayProtocol() -> String? {
        var protocols: [String] = []
        for side in [offerer!, answerer!] {
            if let used = side.selected?.local.relayProtocol?.rawValue, !protocols.contains(used) { protocols.append(used) }
        }
        return protocols.isEmpty ? nil : protocols.joined(separator: "+")
    }

    /// The run's time is over: a side still on its way to the signaling server says so.
    func endOfRun() {
        offerer.signaling?.endOfRun()
        answerer.signaling?.endOfRun()
    }

    func result() -> SessionResult {
        let startInstant = Instant.zero + spec.start
        let connectedAt = offerer.firstConnected.flatMap { a in answerer.firstConnected.map { max(a, $0) } }
        let nominatedAt = offerer.firstNominated.flatMap { a in answerer.firstNominated.map { max(a, $0) } }
        let selected = offerer.selected ?? answerer.selected.map { ($0.remote, $0.local) }
        let agents = [offerer.driver.core, answerer.driver.core]
        let pairs = [offerer!, answerer!].flatMap { side in
            side.driver.core.checkList.pairs.map { pair in
                // A valid pair's local candidate is the mapped address its check found
                // (RFC 8445 §7.2.5.3.2), as the selected pair reports it; other pairs name
                // the base their checks leave from.
                let local = pair.validLocal ?? pair.local
                return PairRecord(agent: side.role, localType: local.type.rawValue, remoteType: pair.remote.type.rawValue,
                                  local: local.address, remote: pair.remote.address,
                                  state: Self.finalState(pair.state), nominated: pair.nominated)
            }
        }
        return SessionResult(
            name: name, offerer: spec.offerer, answerer: spec.answerer, connected: connectedAt != nil,
            connectedTime: connectedAt.map { $0 - startInstant }, nominatedTime: nominatedAt.map { $0 - startInstant },
            selectedLocalType: selected?.local.type.rawValue, selectedRemoteType: selected?.remote.type.rawValue,
            selectedProtocol: selected?.local.transport.rawValue, finalState: offerer.driver.core.connectionState.rawValue,
            checksSent: agents.reduce(0) { $0 + $1.metrics.checksSent },
            checksReceived: agents.reduce(0) { $0 + $1.metrics.checksReceived },
            checksRetransmitted: agents.reduce(0) { $0 + $1.metrics.checksRetransmitted },
            stunBytes: agents.reduce(0) { $0 + $1.metrics.stunBytesSent },
            pairsFormed: agents.reduce(0) { $0 + $1.metrics.pairsFormed },
            relayUsed: selected.map { $0.local.type == .relayed || $0.remote.type == .relayed } ?? false,
            relayProtocol: relayProtocol(), dtlsState: security?.outcome.rawValue, dtlsTime: security?.connectedAt.map { $0 - startInstant },
            firstMediaTime: media?.firstFrameAt.map { $0 - startInstant }, dtlsRetransmissions: security?.retransmissions ?? 0,
            dtlsFailure: security?.failureReason, srtpProfile: security?.profile?.name,
            signalingTime: offerSentAt.flatMap { sent in answerAppliedAt.map { $0 - sent } }, signalingLost: channel.lost + (offerer.signaling?.lost ?? 0) + (answerer.signaling?.lost ?? 0),
            candidates: offerer.candidates + answerer.candidates, pairs: pairs)
    }
}
