import ICE
import NetTypes
import STUN
import Testing

/// One agent against hand-made STUN messages: authentication, role conflicts, nomination.
@Suite struct AgentChecksTests {
    static let base = try! Endpoint(parsing: "10.0.0.1:1000")
    static let peer = try! Endpoint(parsing: "10.0.0.2:2000")
    static let peerCredentials = ICECredentials(ufrag: "PEER", password: "peerpasswordpeerpassword")

    /// An agent with one host base that knows the peer's credentials.
    static func agent(role: ICERole, lite: Bool = false) -> ICEAgent {
        var config = ICEConfiguration()
        config.isLite = lite
        var agent = ICEAgent(configuration: config, role: role, rng: Xoshiro256(seed: 42))
        agent.startGathering(hostBases: [ICEHostBase(endpoint: base, component: 1)], now: .zero)
        agent.setRemoteCredentials(peerCredentials, now: .zero)
        _ = drain(&agent)
        return agent
    }

    /// Polls until the deadline: transmitted datagrams and events.
    static func drain(_ agent: inout ICEAgent) -> (sent: [Datagram], events: [ICEEvent.Kind]) {
        var sent: [Datagram] = [], events: [ICEEvent.Kind] = []
        while true {
            switch agent.pollOutput() {
            case .transmit(let d): sent.append(d)
            case .event(let e): events.append(e.kind)
            case .timeout: return (sent, events)
            }
        }
    }

    /// A Binding request from the peer, signed with `password` (nil: no integrity).
    static func request(to agent: ICEAgent, _ attributes: [STUNAttribute], username: String? = nil,
                        password: String? = nil, id: UInt64 = 1) -> Datagram {
        let user = username ?? "\(agent.localCredentials.ufrag):\(peerCredentials.ufrag)"
        let message = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 7, low: id),
                                  attributes: (username == "" ? [] : [.username(user)]) + attributes)
        let key = (password ?? agent.localCredentials.password)
        let auth = password == "" ? nil : STUNAuthenticator(key: .shortTerm(password: key))
        return Datagram(source: peer, destination: base, payload: message.encoded(authenticator: auth))
    }

    static func decoded(_ d: Datagram) -> DecodedSTUNMessage { try! DecodedSTUNMessage(decoding: d.payload) }

    static func errorCode(of d: Datagram) -> Int? { decoded(d).message.errorCode?.code }

    @Test func requestWithoutUsernameOrIntegrityGets400() {
        var agent = Self.agent(role: .controlled)
        agent.handle(Self.request(to: agent, [.priority(1)], username: ""), now: .zero)
        let noUser = Self.drain(&agent).sent
        #expect(noUser.count == 1 && Self.errorCode(of: noUser[0]) == 400)
        #expect(Self.decoded(noUser[0]).messageIntegrityOffset == nil)
        agent.handle(Self.request(to: agent, [.priority(1)], password: ""), now: .zero)
        #expect(Self.drain(&agent).sent.map(Self.errorCode) == [400])
    }

    @Test func badIntegrityOrUnknownUfragGets401() {
        var agent = Self.agent(role: .controlled)
        agent.handle(Self.request(to: agent, [.priority(1)], password: "wrongwrongwrongwrongwrong"), now: .zero)
        let wrongKey = Self.drain(&agent)
        #expect(wrongKey.sent.map(Self.errorCode) == [401])
        #expect(wrongKey.events.isEmpty)
        agent.handle(Self.request(to: agent, [.priority(1)], username: "nobody:PEER"), now: .zero)
        #expect(Self.drain(&agent).sent.map(Self.errorCode) == [401])
        #expect(agent.remoteCandidates.isEmpty)
    }

    @Test func validRequestIsAnsweredSignedAndTriggersACheck() throws {
        var agent = Self.agent(role: .controlled)
        agent.handle(Self.request(to: agent, [.priority(1234), .iceControlling(1)]), now: .zero)
        let out = Self.drain(&agent)
        let response = try #require(out.sent.first)
        let decoded = Self.decoded(response)
        #expect(response.source == Self.base && response.destination == Self.peer)
        #expect(decoded.message.type == .bindingSuccess && decoded.message.mappedAddress == Self.peer)
        #expect(decoded.checkIntegrity(STUNAuthenticator(key: .shortTerm(password: agent.localCredentials.password))) == .valid)
        #expect(decoded.fingerprintCheck == .valid)
        // The peer became a peer-reflexive remote candidate with the PRIORITY it sent.
        #expect(agent.remoteCandidates.map(\.type) == [.peerReflexive])
        #expect(agent.remoteCandidates.first?.priority == 1234)
        // The triggered check goes at once, authenticated with the peer's password.
        let check = try #require(out.sent.dropFirst().first)
        let checkMessage = Self.decoded(check)
        #expect(checkMessage.message.type == .bindingRequest)
        #expect(checkMessage.message.username == "PEER:\(agent.localCredentials.ufrag)")
        #expect(checkMessage.message.attribute(.iceControlled) != nil && checkMessage.message.attribute(.priority) != nil)
        #expect(checkMessage.checkIntegrity(STUNAuthenticator(key: .shortTerm(password: Self.peerCredentials.password))) == .valid)
        #expect(agent.metrics.checksReceived == 1 && agent.metrics.checksSent == 1)
    }

    @Test func controllingAgentWithLargerTieBreakerAnswers487() {
        var agent = Self.agent(role: .controlling)
        let theirs = agent.tieBreaker &- 1
        agent.handle(Self.request(to: agent, [.priority(1), .iceControlling(theirs)]), now: .zero)
        let out = Self.drain(&agent)
        #expect(Self.errorCode(of: out.sent[0]) == 487)
        #expect(agent.role == .controlling)
    }

    @Test func controllingAgentWithSmallerTieBreakerSwitches() {
        var agent = Self.agent(role: .controlling)
        agent.handle(Self.request(to: agent, [.priority(1), .iceControlling(agent.tieBreaker &+ 1)]), now: .zero)
        let out = Self.drain(&agent)
        #expect(Self.decoded(out.sent[0]).message.type == .bindingSuccess)
        #expect(agent.role == .controlled && out.events.contains(.roleChanged(.controlled)))
    }

    @Test func controlledAgentConflictsResolveByTieBreaker() {
        var keeps = Self.agent(role: .controlled)
        keeps.handle(Self.request(to: keeps, [.priority(1), .iceControlled(keeps.tieBreaker &+ 1)]), now: .zero)
        #expect(Self.drain(&keeps).sent.map(Self.errorCode).first == 487)
        #expect(keeps.role == .controlled)
        var switches = Self.agent(role: .controlled)
        switches.handle(Self.request(to: switches, [.priority(1), .iceControlled(switches.tieBreaker &- 1)]), now: .zero)
        #expect(Self.decoded(Self.drain(&switches).sent[0]).message.type == .bindingSuccess)
        #expect(switches.role == .controlling)
    }

    /// The agent's pending check to the peer, after adding the peer as a host candidate.
    static func firstCheck(_ agent: inout ICEAgent) -> Datagram {
        agent.addRemoteCandidate(Candidate(foundation: "r", component: 1, priority: 2_000_000_000, address: peer, type: .host), now: .zero)
        return drain(&agent).sent.first { decoded($0).message.type == .bindingRequest }!
    }

    static func answer(_ check: Datagram, _ attributes: [STUNAttribute], error: Bool = false) -> Datagram {
        let message = STUNMessage(type: error ? .bindingError : .bindingSuccess, transactionID: decoded(check).message.transactionID,
                                  attributes: attributes)
        return Datagram(source: peer, destination: base,
                        payload: message.encoded(authenticator: STUNAuthenticator(key: .shortTerm(password: peerCredentials.password))))
    }

    @Test func a487ResponseSwitchesRoleAndRetries() throws {
        var agent = Self.agent(role: .controlling)
        let check = Self.firstCheck(&agent)
        #expect(Self.decoded(check).message.attribute(.iceControlling) != nil)
        agent.handle(Self.answer(check, [.errorCode(.roleConflict)], error: true), now: .zero + .milliseconds(10))
        var out = Self.drain(&agent)
        #expect(agent.role == .controlled && out.events.contains(.roleChanged(.controlled)))
        agent.handleTimeout(now: .zero + .milliseconds(60))
        out = Self.drain(&agent)
        let retry = try #require(out.sent.first)
        #expect(Self.decoded(retry).message.attribute(.iceControlled) != nil)
    }

    @Test func a401FromAPeerWithoutOurCredentialsKeepsTheCheckGoing() {
        var agent = Self.agent(role: .controlling)
        let check = Self.firstCheck(&agent)
        let id = Self.decoded(check).message.transactionID
        let unsigned = STUNMessage(type: .bindingError, transactionID: id,
                                   attributes: [.errorCode(STUNErrorCode(code: 401, reason: "Unauthorized"))])
        agent.handle(Datagram(source: check.destination, destination: check.source, payload: unsigned.encoded()),
                     now: .zero + .milliseconds(10))
        _ = Self.drain(&agent)
        #expect(agent.checkList.pairs[0].state == .inProgress)
        // The check is retransmitted, and a success once the peer has our credentials counts.
        agent.handleTimeout(now: .zero + .seconds(1))
        #expect(Self.drain(&agent).sent.contains { Self.decoded($0).message.transactionID == id })
        agent.handle(Self.answer(check, [.xorMappedAddress(Self.base)]), now: .zero + .milliseconds(1010))
        _ = Self.drain(&agent)
        #expect(agent.checkList.pairs[0].state == .succeeded)
    }

    @Test func responsesThatDoNotVerifyAreIgnored() {
        var agent = Self.agent(role: .controlling)
        let check = Self.firstCheck(&agent)
        var forged = Self.answer(check, [.xorMappedAddress(Self.base)])
        forged.payload[forged.payload.count - 30] ^= 1
        agent.handle(forged, now: .zero + .milliseconds(10))
        #expect(agent.checkList.pairs[0].state == .inProgress)
    }

    @Test func controlledAgentUsesAValidPairThenRecordsTheNomination() {
        var agent = Self.agent(role: .controlled)
        let check = Self.firstCheck(&agent)
        agent.handle(Self.answer(check, [.xorMappedAddress(Self.base)]), now: .zero + .milliseconds(10))
        var events = Self.drain(&agent).events
        // Usable as soon as it is valid: a browser's "connected", before any nomination.
        #expect(agent.checkList.pairs[0].state == .succeeded && agent.selectedPair(component: 1)?.remote.address == Self.peer)
        #expect(events.contains { if case .selectedPairChanged(1, _, _) = $0 { true } else { false } })
        #expect(agent.connectionState == .connected && agent.metrics.timeToNominated == nil)
        agent.handle(Self.request(to: agent, [.priority(1), .iceControlling(1), .useCandidate]), now: .zero + .milliseconds(20))
        events = Self.drain(&agent).events
        #expect(events.contains { if case .pairNominated = $0 { true } else { false } })
        #expect(!events.contains { if case .selectedPairChanged = $0 { true } else { false } })
        #expect(agent.metrics.timeToFirstConnected == .milliseconds(10) && agent.metrics.timeToNominated == .milliseconds(20))
    }

    @Test func aggressiveNominationBeforeOurCheckSucceedsIsHonoured() throws {
        var agent = Self.agent(role: .controlled)
        agent.handle(Self.request(to: agent, [.priority(1), .iceControlling(1), .useCandidate]), now: .zero)
        let check = try #require(Self.drain(&agent).sent.last)
        #expect(agent.selectedPair(component: 1) == nil)
        agent.handle(Self.answer(check, [.xorMappedAddress(Self.base)]), now: .zero + .milliseconds(10))
        _ = Self.drain(&agent)
        #expect(agent.selectedPair(component: 1)?.remote.address == Self.peer)
    }

    @Test func liteAgentAnswersWithoutChecksAndTakesTheNomination() {
        var agent = Self.agent(role: .controlling, lite: true)
        #expect(agent.role == .controlled)
        agent.handle(Self.request(to: agent, [.priority(1), .iceControlling(1), .useCandidate]), now: .zero)
        let out = Self.drain(&agent)
        #expect(out.sent.count == 1 && Self.decoded(out.sent[0]).message.type == .bindingSuccess)
        #expect(agent.selectedPair(component: 1)?.remote.address == Self.peer)
        #expect(agent.metrics.checksSent == 0)
    }

    @Test func closeStopsEverything() {
        var agent = Self.agent(role: .controlled)
        agent.close(now: .zero)
        #expect(Self.drain(&agent).events == [.connectionStateChanged(.closed)])
        agent.handle(Self.request(to: agent, [.priority(1)]), now: .zero)
        #expect(Self.drain(&agent).sent.isEmpty)
        let sent = agent.send([0x80], now: .zero)
        #expect(!sent)
        let next = agent.pollOutput()
        #expect({ if case .timeout(.distantFuture) = next { true } else { false } }())
    }
}
