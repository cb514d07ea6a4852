import Foundation
import Records
import Scenario
import Testing

/// Mid-call rate constraints from the timeline (`session: S, flow: N, set: { min-rate,
/// max-rate }`), as an application's `setParameters` changes `maxBitrate`: the flow's
/// target obeys the new bounds from that moment, and the event is logged.
@Suite struct RateConstraintTests {
    static let scenario = """
    name: rates
    duration: 30s
    seed: 1
    network:
      hosts:
        alice: {}
        bob: {}
      links:
        - { from: alice, to: internet, latency: 20ms, bandwidth: 6Mbps, queue: 100ms }
    sessions:
      - { name: call, offerer: alice, answerer: bob, dtls: false, media: [{ kind: video, bottleneck: alice-internet, max-rate: 4Mbps }] }
    timeline:
      - { at: 15s, session: call, set: { max-rate: 500kbps } }
      - { at: 25s, session: call, flow: 0, set: { max-rate: 4Mbps } }
    """

    static func run(_ text: String) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: text, path: "rates.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options())
    }

    @Test func theTargetObeysTheNewBounds() throws {
        let result = try Self.run(Self.scenario)
        let target = result.series.filter { $0.session == "call/0" && $0.name == FlowSeries.Name.target }
        let before = target.filter { $0.time >= .seconds(10) && $0.time < .seconds(15) }.map(\.value)
        // From the sample after next: a sample reports the sender's last target, taken before 15 s.
        let capped = target.filter { $0.time > .milliseconds(15_200) && $0.time < .seconds(25) }.map(\.value)
        #expect((before.max() ?? 0) > 1_000_000)
        #expect(!capped.isEmpty && capped.allSatisfy { $0 <= 500_000 }, "\(capped.max() ?? 0)")
        let events = result.events.filter { $0.kind == "media" }.map(\.detail)
        #expect(events == ["flow 0 rates 150kbps...500kbps", "flow 0 rates 150kbps...4Mbps"])
    }

    @Test func badConstraintsAreScenarioErrors() {
        func error(_ event: String) -> String {
            let text = Self.scenario.replacingOccurrences(of: "  - { at: 15s, session: call, set: { max-rate: 500kbps } }", with: event)
            do { _ = try ScenarioFile(text: text, path: "rates.yaml").scenario(at: 0); return "" } catch { return "\(error)" }
        }
        #expect(error("  - { at: 15s, session: call, flow: 3, set: { max-rate: 500kbps } }").contains("has no media flow 3"))
        #expect(error("  - { at: 15s, session: call, set: { min-rate: 2Mbps, max-rate: 1Mbps } }").contains("is above max-rate"))
        #expect(error("  - { at: 15s, session: call, set: {} }").contains("needs min-rate or max-rate"))
        #expect(error("  - { at: 15s, session: call, set: { max-rate: 100kbps } }").contains("below the flow's min-rate"))
        #expect(error("  - { at: 15s, session: call, flow: 0, restart-ice: true }").contains("'flow' belongs to a session event with 'set'"))
        #expect(error("  - { at: 15s, session: call, set: { max-rate: 1Mbps }, restart-ice: true }").contains("either restarts ICE or sets"))
        #expect(error("  - { at: 15s, session: cal, set: { max-rate: 1Mbps } }").contains("no session is called 'cal'"))
    }
}
