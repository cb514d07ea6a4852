import ICE
import NetTypes
import STUN
import Testing

/// One agent per `ICENominationPolicy` against hand-made answers: pacing, ordering,
/// USE-CANDIDATE, selection before nomination, switching.
@Suite struct NominationPolicyTests {
    typealias Checks = AgentChecksTests

    static func agent(_ policy: ICENominationPolicy, role: ICERole = .controlling) -> ICEAgent {
        var config = ICEConfiguration()
        config.nomination = policy
        config.pacingInterval = policy.pacingInterval
        var agent = ICEAgent(configuration: config, role: role, rng: Xoshiro256(seed: 42))
        agent.startGathering(hostBases: [ICEHostBase(endpoint: Checks.base, component: 1)], now: .zero)
        agent.setRemoteCredentials(Checks.peerCredentials, now: .zero)
        _ = Checks.drain(&agent)
        return agent
    }

    /// Remote host candidates on the peer's address with ports 2000, 2001, …, priority
    /// falling in that order; `foundation` shared.
    static func addRemotes(_ count: Int, foundation: CandidateFoundation = "r", to agent: inout ICEAgent) {
        for k in 0..<count {
            let address = Endpoint(Checks.peer.address, 2000 + UInt16(k))
            agent.addRemoteCandidate(Candidate(foundation: foundation, component: 1, priority: 2_000_000_000 - UInt32(k) * 1000,
                                               address: address, type: .host), now: .zero)
        }
    }

    static func requests(_ sent: [Datagram]) -> [Datagram] { sent.filter { Checks.decoded($0).message.type == .bindingRequest } }

    static func usesCandidate(_ d: Datagram) -> Bool { Checks.decoded(d).message.attribute(.useCandidate) != nil }

    /// A success answer to `check` from where it went.
    static func answer(_ check: Datagram) -> Datagram {
        var answer = Checks.answer(check, [.xorMappedAddress(Checks.base)])
        answer.source = check.destination
        return answer
    }

    @Test func libwebrtcChecksEveryPairAt48msWithoutFreezing() {
        var agent = Self.agent(.libwebrtc)
        Self.addRemotes(2, to: &agent)
        // One foundation: RFC 8445 would keep the second pair frozen; libwebrtc pings both.
        #expect(agent.checkList.pairs.map(\.state) == [.inProgress, .waiting])
        let first = Self.requests(Checks.drain(&agent).sent)
        agent.handleTimeout(now: .zero + .milliseconds(47))
        #expect(Self.requests(Checks.drain(&agent).sent).isEmpty)
        agent.handleTimeout(now: .zero + .milliseconds(48))
        let second = Self.requests(Checks.drain(&agent).sent)
        #expect(first.count == 1 && second.count == 1 && second[0].destination.port == 2001)
        // Nothing is selected yet: semi-aggressive nomination puts USE-CANDIDATE on both.
        #expect((first + second).allSatisfy(Self.usesCandidate))
    }

    @Test func libwebrtcRepeatsAnUnansweredCheckAndFailsItAfterFifteenSeconds() {
        var agent = Self.agent(.libwebrtc)
        Self.addRemotes(1, to: &agent)
        let check = Self.requests(Checks.drain(&agent).sent)[0]
        agent.handleTimeout(now: .zero + .milliseconds(48))
        let again = Self.requests(Checks.drain(&agent).sent)
        #expect(again.map { Checks.decoded($0).message.transactionID } == [Checks.decoded(check).message.transactionID])
        #expect(agent.nextTimer?.timer == .pacing)
        var now = Instant.zero + .milliseconds(48)
        while let next = agent.nextTimer, next.deadline <= .zero + .seconds(15) {
            now = next.deadline
            agent.handleTimeout(now: now)
            _ = Checks.drain(&agent)
        }
        #expect(now == .zero + .seconds(15) && agent.checkList.pairs[0].state == .failed)
    }

    @Test func libwebrtcSelectsTheFirstValidPairThenSwitchesToABetterOne() throws {
        var agent = Self.agent(.libwebrtc)
        Self.addRemotes(3, to: &agent)
        let high = Self.requests(Checks.drain(&agent).sent)[0]
        agent.handleTimeout(now: .zero + .milliseconds(48))
        let middle = Self.requests(Checks.drain(&agent).sent)[0]
        agent.handle(Self.answer(middle), now: .zero + .milliseconds(60))
        var out = Checks.drain(&agent)
        #expect(agent.selectedPair(component: 1)?.remote.address.port == 2001 && agent.connectionState == .connected)
        // Its check carried USE-CANDIDATE: answered, it is nominated at once.
        #expect(out.events.contains { if case .pairNominated = $0 { true } else { false } })
        #expect(agent.metrics.timeToNominated == .milliseconds(60))
        // The pair below the selected one is pruned; the better one is pinged again.
        agent.handleTimeout(now: .zero + .milliseconds(96))
        out = Checks.drain(&agent)
        #expect(Self.requests(out.sent).map { $0.destination.port } == [2000])
        agent.handle(Self.answer(high), now: .zero + .milliseconds(110))
        out = Checks.drain(&agent)
        #expect(out.events.contains { if case .selectedPairChanged(1, _, let remote) = $0 { remote.address.port == 2000 } else { false } })
        #expect(!agent.checkList.pairs.contains { $0.remote.address.port == 2002 && $0.state != .waiting })
    }

    @Test func libwebrtcSlowsTo480msOnceStronglyConnected() {
        var agent = Self.agent(.libwebrtc)
        Self.addRemotes(2, to: &agent)
        _ = Checks.drain(&agent)
        agent.handleTimeout(now: .zero + .milliseconds(48))
        let low = Self.requests(Checks.drain(&agent).sent)[0]
        agent.handle(Self.answer(low), now: .zero + .milliseconds(60))
        _ = Checks.drain(&agent)
        // The better pair is still pinged: at 48 ms until it has had 3 pings, then at 480 ms.
        var sent: [Int64] = []
        while let next = agent.nextTimer, next.deadline <= .zero + .milliseconds(700) {
            agent.handleTimeout(now: next.deadline)
            if !Self.requests(Checks.drain(&agent).sent).isEmpty { sent.append(Int64((next.deadline - .zero).milliseconds.rounded())) }
        }
        #expect(sent == [96, 144, 624])
    }

    @Test func regularNominationIsUsableBeforeItNominatesAfterTheWait() throws {
        var agent = Self.agent(.regular)
        Self.addRemotes(1, to: &agent)
        let check = Self.requests(Checks.drain(&agent).sent)[0]
        #expect(!Self.usesCandidate(check))
        agent.handle(Self.answer(check), now: .zero + .milliseconds(30))
        _ = Checks.drain(&agent)
        #expect(agent.connectionState == .connected && agent.metrics.timeToNominated == nil)
        #expect(agent.nextTimer?.timer == .nomination && agent.nextTimer?.deadline == .zero + .milliseconds(530))
        agent.handleTimeout(now: .zero + .milliseconds(530))
        let nomination = try #require(Self.requests(Checks.drain(&agent).sent).first)
        #expect(Self.usesCandidate(nomination))
        agent.handle(Self.answer(nomination), now: .zero + .milliseconds(560))
        _ = Checks.drain(&agent)
        #expect(agent.metrics.timeToFirstConnected == .milliseconds(30) && agent.metrics.timeToNominated == .milliseconds(560))
    }

    @Test func aggressiveNominationPutsUseCandidateOnEveryCheck() {
        var agent = Self.agent(.aggressive)
        Self.addRemotes(1, to: &agent)
        let first = Self.requests(Checks.drain(&agent).sent)
        #expect(first.count == 1 && Self.usesCandidate(first[0]))
        agent.handle(Self.answer(first[0]), now: .zero + .milliseconds(60))
        _ = Checks.drain(&agent)
        #expect(agent.metrics.timeToFirstConnected == .milliseconds(60) && agent.metrics.timeToNominated == .milliseconds(60))
    }
}
