import ICE
import NetTypes
import STUN
import Testing

/// The agent's timer table: each wake-up has a named reason, and the reported deadline is
/// the earliest armed timer.
@Suite struct AgentTimerTests {
    /// Drains and returns the reported deadline.
    static func deadline(_ agent: inout ICEAgent) -> Instant {
        while true { if case .timeout(let deadline) = agent.pollOutput() { return deadline } }
    }

    @Test func aRemoteCandidateArmsThePacerAndChecksRetransmit() throws {
        var agent = AgentChecksTests.agent(role: .controlling)
        let remote = Candidate(foundation: "1", component: 1, priority: 100, address: AgentChecksTests.peer, type: .host)
        agent.addRemoteCandidate(remote, now: .zero)
        var deadline = Self.deadline(&agent)
        // The first check went out at once; the next wake-up is its retransmission or the
        // pacer, whichever is first, and the table says which.
        let first = try #require(agent.nextTimer)
        #expect(first.deadline == deadline)
        #expect(first.timer == .checkRetransmit || first.timer == .pacing, "\(first)")
        // Every wake-up until the checks give up (the pacer repeats the check every 48 ms,
        // the pair fails after 15 s) has a reason, and time only moves forward.
        var reasons: Set<ICETimer> = []
        var previous = Instant.zero
        for _ in 0..<400 {
            guard let next = agent.nextTimer else { break }
            #expect(next.deadline == deadline && deadline > previous)
            reasons.insert(next.timer)
            previous = deadline
            agent.handleTimeout(now: deadline)
            deadline = Self.deadline(&agent)
        }
        #expect(reasons.contains(.checkRetransmit) && reasons.contains(.pacing))
        #expect(agent.connectionState == .failed || agent.connectionState == .checking)
    }

    /// A datagram other than STUN skips the agent's full update (its per-packet cost on a
    /// selected pair) without changing what the agent does: just before each wake-up of
    /// the next 40 s (consent checks, keepalives, consent expiry; RFC 7675, RFC 8445 §11)
    /// a DTLS datagram is delivered and sends nothing, the deadline staying; at the
    /// wake-up itself it runs the due timer in the same call, sending what
    /// `handleTimeout` would and leaving the same deadline.
    @Test func dataSkipsTheUpdateButNotADueTimer() throws {
        var agent = AgentChecksTests.agent(role: .controlled)
        let check = AgentChecksTests.firstCheck(&agent)
        agent.handle(AgentChecksTests.answer(check, [.xorMappedAddress(AgentChecksTests.base)]), now: .zero + .milliseconds(10))
        _ = AgentChecksTests.drain(&agent)
        #expect(agent.selectedPair(component: 1) != nil)
        let payload: [UInt8] = [23, 0xFE, 0xFD] + Array(repeating: 0, count: 20)
        let dtls = Datagram(source: AgentChecksTests.peer, destination: AgentChecksTests.base, payload: payload)
        var deadline = Self.deadline(&agent)
        var timers: Set<ICETimer> = []
        var dueSends = 0
        var previous = Instant.zero + .milliseconds(10)
        for _ in 0..<1_000 {
            guard let next = agent.nextTimer, next.deadline < .zero + .seconds(40) else { break }
            timers.insert(next.timer)
            agent.handle(dtls, now: max(previous, deadline - .milliseconds(1)))
            let early = AgentChecksTests.drain(&agent)
            #expect(early.sent.isEmpty && early.events == [.data(component: 1, payload, ecn: .notECT)])
            #expect(Self.deadline(&agent) == deadline && agent.nextTimer?.timer == next.timer)

            var twin = agent
            twin.handleTimeout(now: deadline)
            let expected = AgentChecksTests.drain(&twin)
            agent.handle(dtls, now: deadline)
            let got = AgentChecksTests.drain(&agent)
            #expect(got.sent == expected.sent && got.events.dropFirst().elementsEqual(expected.events))
            dueSends += got.sent.count
            previous = deadline
            deadline = Self.deadline(&agent)
            #expect(deadline == Self.deadline(&twin))
        }
        #expect(timers.contains(.keepalive) || timers.contains(.consent), "\(timers)")
        #expect(dueSends > 0)
    }

    @Test func aClosedAgentHasNoTimer() {
        var agent = AgentChecksTests.agent(role: .controlled)
        agent.close(now: .zero)
        #expect(agent.nextTimer == nil)
        #expect(Self.deadline(&agent) == .distantFuture)
    }
}
