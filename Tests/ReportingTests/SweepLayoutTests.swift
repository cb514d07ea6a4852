@testable import Results
import Testing
@testable import Reporting

@Suite struct SweepLayoutTests {
    /// Runs of the Cartesian product of `axes` (name, values), each with seeds 1 and 2.
    static func runs(_ axes: [(String, [String])]) -> [StoredRunSummary] {
        var points: [[StoredParameter]] = [[]]
        for (name, values) in axes + [("seed", ["1", "2"])] {
            points = points.flatMap { point in values.map { point + [StoredParameter(name: name, value: $0)] } }
        }
        return points.enumerated().map { index, parameters in
            StoredRunSummary(id: Int64(index + 1), runIndex: index, parameters: parameters, seed: UInt64(parameters.last!.value)!,
                             outcome: "passed", error: nil, wallMilliseconds: 1, simulatedMilliseconds: 1000)
        }
    }

    static let mappings = ["endpoint-independent", "address-and-port-dependent"]

    @Test func twoParametersAreRowsAndColumns() {
        let layout = SweepLayout(runs: Self.runs([("home.mapping", Self.mappings), ("mobile.mapping", Self.mappings)]))
        #expect(layout.rowParameter == "home.mapping" && layout.columnParameter == "mobile.mapping")
        #expect(layout.panelParameters.isEmpty)
        #expect(layout.values["home.mapping"] == Self.mappings)
        #expect(layout.panels(of: Self.runs([("home.mapping", Self.mappings)])) == [""])
    }

    @Test func oneParameterIsASingleRowAndNoneASingleCell() {
        let one = SweepLayout(runs: Self.runs([("home.preset", ["full-cone", "symmetric"])]))
        #expect(one.rowParameter == nil && one.columnParameter == "home.preset")
        let none = SweepLayout(runs: Self.runs([("home.preset", ["symmetric"])]))
        #expect(none.varying.isEmpty && none.columnParameter == nil)
    }

    @Test func turnParametersAndExtraParametersSeparatePanels() {
        let runs = Self.runs([("sessions.0.ice-servers", ["[stun1]", "[stun1, turn1]"]), ("network.links.0.loss", ["0%", "5%"]),
                              ("home.mapping", Self.mappings), ("mobile.mapping", Self.mappings)])
        let layout = SweepLayout(runs: runs)
        #expect(layout.panelParameters == ["sessions.0.ice-servers", "network.links.0.loss"])
        #expect(layout.rowParameter == "home.mapping" && layout.columnParameter == "mobile.mapping")
        #expect(layout.panels(of: runs).count == 4)
        #expect(layout.panel(of: runs[0]) == "sessions.0.ice-servers=[stun1] network.links.0.loss=0%")
        #expect(layout.point(of: runs[0]).hasSuffix("home.mapping=endpoint-independent mobile.mapping=endpoint-independent"))
        // A parameter whose values name a relay counts too, whatever its name.
        #expect(SweepLayout.decidesRelay("sessions.0.servers", values: ["stun-only", "with-turn"]))
        #expect(!SweepLayout.decidesRelay("home.mapping", values: Self.mappings))
    }

    @Test func comparisonVerdictsHonourThresholds() {
        func metrics(connected: Int, of sessions: Int, ms: Double) -> GroupMetrics {
            GroupMetrics((0..<sessions).map { index in
                StoredSession(runID: Int64(index), name: "call", connected: index < connected, connectedMilliseconds: index < connected ? ms : nil, nominatedMilliseconds: nil,
                              localType: "srflx", remoteType: "srflx", transport: "udp", relayUsed: false)
            })
        }
        let same = GroupComparison(group: "g", baseline: metrics(connected: 200, of: 200, ms: 200), candidate: metrics(connected: 199, of: 200, ms: 215))
        #expect(!same.regressed && same.medianVerdict == .unchanged)   // -0.5 pp, and +15 ms is within 10 % of 200 ms
        let slower = GroupComparison(group: "g", baseline: metrics(connected: 100, of: 100, ms: 200), candidate: metrics(connected: 99, of: 100, ms: 230))
        #expect(slower.medianVerdict == .regressed && slower.successVerdict == .regressed && slower.regressed)
        let better = GroupComparison(group: "g", baseline: metrics(connected: 90, of: 100, ms: 200), candidate: metrics(connected: 100, of: 100, ms: 100))
        #expect(better.successVerdict == .improved && better.p95Verdict == .improved && !better.regressed)
    }
}
