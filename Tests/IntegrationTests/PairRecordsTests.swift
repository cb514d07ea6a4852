import Scenario
import Testing

/// The `pairs` and `sessions` tables name candidate types alike (the valid pair's local
/// candidate, RFC 8445 §7.2.5.3.2) and pairs end in a final state (docs/results.md).
@Suite struct PairRecordsTests {
    @Test func pairsNameTheValidPairsLocalCandidateAndEndInAFinalState() throws {
        let file = try ShippedScenarioTests.file("quickstart.yaml")
        let (point, scenario) = try file.scenario(at: 0)
        let result = ScenarioRunner.run(index: 0, point: point, scenario: scenario)
        let call = try #require(result.sessions.first { $0.name == "call" })
        #expect(call.selectedLocalType == "srflx" || call.selectedLocalType == "prflx")
        // Behind the NAT, the offerer's nominated pair is the selected one: the same type
        // in both tables, not `host` (its base).
        let nominated = call.pairs.filter { $0.agent == "offerer" && $0.nominated && $0.state == "succeeded" }
        #expect(!nominated.isEmpty)
        #expect(nominated.allSatisfy { $0.localType == call.selectedLocalType })
        for session in result.sessions {
            #expect(session.pairs.allSatisfy { ["succeeded", "failed", "unfinished"].contains($0.state) }, "\(session.pairs.map(\.state))")
            #expect(session.pairs.filter { $0.state == "succeeded" }.allSatisfy { $0.localType != "host" })
        }
    }
}
