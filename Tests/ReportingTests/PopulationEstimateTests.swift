import Foundation
import NetTypes
import Records
import Reporting
import Results
import Testing

/// The population estimate of a sweep: weighted shares, intervals over seeds, weighted
/// connect-time percentiles, and the report section that shows them.
@Suite struct PopulationEstimateTests {
    /// Two NAT kinds weighted 3:1; with `easy` every call connects directly, with `hard`
    /// one seed in two connects through a relay and the other fails.
    static func store() throws -> (ResultStore, Int64, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("population-\(UUID().uuidString).sqlite").path
        let store = try ResultStore(path: path)
        let population = PopulationWeights(source: "test", axes: [.init(name: "nat", labels: ["easy", "hard"], weights: [3, 1])])
        let sweep = try store.startSweep(name: "p", path: "p.yaml", scenarioHash: "h", version: "0", runCount: 8, shard: nil,
                                         population: population)
        var index = 0
        for nat in ["easy", "hard"] {
            for seed in UInt64(1)...4 {
                let connected = nat == "easy" || seed % 2 == 0
                let session = SessionResult(name: "call", offerer: "a", answerer: "b", connected: connected,
                                            connectedTime: connected ? .milliseconds(nat == "easy" ? 200 : 600) : nil,
                                            finalState: connected ? "completed" : "failed", relayUsed: nat == "hard" && connected)
                try store.record(RunResult(runIndex: index, parameters: SweepPoint(assignments: [("nat", nat), ("seed", "\(seed)")]), seed: seed,
                                           outcome: .passed, wallSeconds: 0, simulatedTime: .seconds(1), simulatorEvents: 0, sessions: [session]),
                                 sweepID: sweep, scenarioHash: "h", version: "0")
                index += 1
            }
        }
        return (store, sweep, path)
    }

    @Test func sharesIntervalsAndPercentiles() throws {
        let (store, sweep, path) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try SweepData(store: store, sweepID: sweep)
        let population = try #require(data.sweep.population)
        let estimate = try #require(PopulationEstimate.estimates(data, population: population).first)
        // 3/4 always connect, 1/4 half the time: 0.875; relayed 1/4 · 1/2.
        #expect(abs(estimate.connected.value - 0.875) < 1e-9)
        #expect(abs(estimate.relayed.value - 0.125) < 1e-9)
        // Per seed 0.75 or 1.0 (mean 0.875, s = 0.1443): ± 3.182 · s / 2.
        let interval = try #require(estimate.connected.interval)
        #expect(abs(interval.lowerBound - (0.875 - 3.182 * 0.144337567 / 2)) < 1e-6 && interval.upperBound == 1)
        // Weights of the connected calls: 200 ms 3 × 4, 600 ms 1 × 2 → p50 200, p95 600.
        #expect(estimate.connectP50 == 200 && estimate.connectP95 == 600)
        #expect(estimate.weightedSessions == 8 && estimate.seeds == 4)
        let html = try ReportGenerator.render(store: store, sweepID: sweep)
        #expect(html.contains("Population estimate") && html.contains("87.5 %") && html.contains("(source: test)"))
    }
}
