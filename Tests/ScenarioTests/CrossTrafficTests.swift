import NetTypes
import Records
import Testing
@testable import Scenario

@Suite struct CrossTrafficTests {
    static let text = """
    name: cross
    duration: 20s
    network:
      hosts: { a: {}, b: {}, c: {} }
    cross-traffic:
      - { from: a, to: b, rate: 960kbps, packet-size: 1200B }
      - { from: a, to: c, rate: 960kbps, packet-size: 1200B, on: 1s, off: 1s, start: 0s, stop: 20s }
    """

    static func counts(_ result: RunResult) -> [(sent: Int, received: Int)] {
        result.events.filter { $0.source == "cross-traffic" }.map { event in
            let words = event.detail.split(separator: " ")
            return (Int(words[2])!, Int(words[4])!)
        }
    }

    @Test func constantAndOnOffFlowsRun() throws {
        let file = try ScenarioFile(text: Self.text, path: "x.yaml")
        let (point, scenario) = try file.scenario(at: 0)
        #expect(scenario.crossTraffic.count == 2 && scenario.crossTraffic[1].meanOn == .seconds(1))
        let result = ScenarioRunner.run(index: 0, point: point, scenario: scenario)
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "")")
        let flows = Self.counts(result)
        // 960 kbps of 1200-byte payloads: 100 datagrams a second for 20 s (both ends included).
        #expect(flows[0].sent == 2001, "\(flows[0])")
        #expect(flows[0].received >= 1990, "\(flows[0])")
        // On/off with equal means sends about half of that, never all of it.
        #expect(flows[1].sent > 500 && flows[1].sent < 1500, "\(flows[1])")
        let again = Self.counts(ScenarioRunner.run(index: 0, point: point, scenario: scenario))
        #expect(again.map(\.sent) == flows.map(\.sent))
    }

    @Test func onAndOffComeTogether() {
        let bad = Self.text.replacingOccurrences(of: "on: 1s, off: 1s", with: "on: 1s")
        #expect(throws: ScenarioError.self) { try ScenarioFile(text: bad, path: "x.yaml").validate() }
    }
}
