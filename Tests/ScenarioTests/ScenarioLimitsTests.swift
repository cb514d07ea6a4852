import Foundation
import Testing
@testable import Scenario

/// Bad input fails in bounded time and memory, before anything is expanded (the limits
/// in docs/scenarios.md).
@Suite struct ScenarioLimitsTests {
    static let network = "name: big\nnetwork: { nats: { home: { preset: full-cone } }, hosts: { alice: { behind: home } } }\n"

    @Test func sweepSizeIsCountedWithoutOverflow() {
        let text = Self.network + "sweep:\n  seed: 0...4000000000000000000\n  duration: 0...4000000000000000000\n"
        let limits = ScenarioLimits(maxRuns: .max)
        #expect(throws: ScenarioError(SourceLocation(file: "s.yaml", line: 5, column: 3),
                                      "with 'duration' the sweep has more than \(Int.max) runs, more than the limit of \(Int.max) (icelab run --max-runs)")) {
            try ScenarioFile(text: text, path: "s.yaml", limits: limits)
        }
    }

    @Test func aLongRangeIsNotExpandedWhenPlanned() throws {
        let file = try ScenarioFile(text: Self.network + "sweep:\n  seed: 1...1000000\n", path: "s.yaml")
        let plan = try SweepPlan(file: file, shard: SweepPlan.Shard(parsing: "0/1000"))
        #expect(plan.runCount == 1_000_000 && plan.pending.count == 1000 && plan.pending.last == 999_000)
        #expect(try plan.run(999_000).scenario.seed == 999_001)
    }

    @Test func theRunLimitIsAParameter() throws {
        let text = Self.network + "sweep:\n  seed: 1...10\n"
        #expect(throws: ScenarioError.self) { try ScenarioFile(text: text, path: "s.yaml", limits: ScenarioLimits(maxRuns: 9)) }
        #expect(try ScenarioFile(text: text, path: "s.yaml", limits: ScenarioLimits(maxRuns: 10)).runCount == 10)
    }

    /// Each use of an alias counts what its anchor holds: 2 × 3^n nodes from n lines.
    @Test func aliasExpansionIsBudgeted() throws {
        var text = Self.network + "description: &d0 [lol, lol]\nsweep:\n  network.hosts.alice:\n"
        for i in 1...12 { text += "    - &d\(i) [*d\(i - 1), *d\(i - 1), *d\(i - 1)]\n" }
        do {
            _ = try ScenarioFile(text: text, path: "s.yaml", limits: ScenarioLimits(maxNodes: 10_000))
            Issue.record("accepted")
        } catch {
            #expect(error.location.line >= 6 && error.message.hasPrefix("the document expands to more than 10000 YAML nodes"), "\(error)")
        }
        // The same anchors used once each stay well within the budget.
        let modest = Self.network + "sweep:\n  home.mapping: [&m endpoint-independent, address-dependent]\n  network.nats.home.filtering: [*m]\n"
        #expect(try ScenarioFile(text: modest, path: "s.yaml").runCount == 2)
    }

    @Test func largeFilesAreRefusedBeforeParsing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-large-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = Self.network + "description: " + String(repeating: "x", count: 2 << 20) + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let expected = ScenarioError(SourceLocation(file: path, line: 1, column: 1),
                                     "the file is larger than 1048576 bytes, the limit for a scenario file")
        #expect(throws: expected) { try ScenarioFile(path: path) }
        #expect(throws: ScenarioError.self) { try ScenarioFile(text: text, path: path) }
    }

    @Test func libyamlInternalsStayOutOfMessages() {
        #expect(YAMLNode.plain("Maximum nesting level reached, set with yaml_set_max_nest_level())") == "the document nests more than 1000 levels deep")
        #expect(YAMLNode.plain("did not find expected key, see yaml_parser_fetch_more_tokens()") == "did not find expected key")
        #expect(YAMLNode.plain("found undefined alias") == "found undefined alias")
        #expect(YAMLNode.position(ofCharacter: 5, in: "ab\ncdef") == (2, 3))
    }

    /// Checking each swept value on its own would miss this: every duration and every
    /// timeline time is valid, but one combination puts the change after the end.
    @Test func combinationsOfSweptValuesAreValidated() throws {
        let text = Self.network + """
        timeline:
          - { at: 5s, nat: home, rebind: true }
        sweep:
          duration: [10s, 3s]
          timeline.0.at: [1s, 5s]
          seed: 1...3
        """
        #expect(throws: ScenarioError.self) { try SweepPlan(file: try ScenarioFile(text: text, path: "s.yaml")) }
    }
}
