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

    @Test func aClosedAgentHasNoTimer() {
        var agent = AgentChecksTests.agent(role: .controlled)
        agent.close(now: .zero)
        #expect(agent.nextTimer == nil)
        #expect(Self.deadline(&agent) == .distantFuture)
    }
}
