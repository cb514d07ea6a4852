import Foundation
import Recording
import Results
import Scenario
import Synchronization
import TestSupport
import Testing

/// End-to-end runs of the shipped scenarios through the runner and the results store:
/// every expectation holds, runs are deterministic, a sweep resumes after an
/// interruption, and sharded runs merge into the unsharded result.
@Suite struct ShippedScenarioTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios")

    static var shipped: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scenarios.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("icelab-e2e-\(UUID().uuidString).sqlite").path
    }

    static func file(_ name: String) throws -> ScenarioFile {
        try ScenarioFile(path: scenarios.appendingPathComponent(name).path)
    }

    @Test func theShippedScenariosArePresent() {
        for name in ["quickstart.yaml", "nat-matrix.yaml", "firewalls.yaml", "mobility.yaml", "lossy-links.yaml"] {
            #expect(Self.shipped.contains(name), "\(name)")
        }
    }

    @Test(arguments: shipped)
    func everyShippedScenarioPasses(name: String) async throws {
        let (failures, recorded, planned) = try await onOwnThread { () throws -> ([String], Int, Int) in
            let path = Self.temporaryDatabase()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let file = try Self.file(name)
            let store = try ResultStore(path: path)
            let plan = try SweepRecording.plan(file, store: store)
            var failures: [String] = []
            _ = try SweepRecording.execute(plan, file: file, store: store, version: "test", jobs: 2, onResult: { result in
                if result.outcome != .passed {
                    failures.append("run \(result.runIndex) [\(result.parameters.key)]: \(result.errorMessage ?? "")"
                                    + result.expectations.filter { !$0.passed }.map(\.message).joined(separator: "; "))
                }
            })
            return (failures, try store.runs().count, plan.runCount)
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(recorded == planned)
    }

    /// Everything a run records except wall-clock values and row IDs.
    static func comparableRows(_ store: ResultStore) throws -> [[String?]] {
        try store.rows("SELECT run_index, parameters, seed, outcome, simulated_ms, simulator_events FROM runs ORDER BY run_index")
            + store.rows("SELECT r.run_index, s.name, s.connected, s.connected_ms, s.nominated_ms, s.local_type, s.remote_type, s.final_state, s.checks_sent, s.checks_received, s.stun_bytes FROM sessions s JOIN runs r ON r.id = s.run_id ORDER BY r.run_index, s.name")
            + store.rows("SELECT r.run_index, e.time_ms, e.session, e.source, e.kind, e.detail FROM events e JOIN runs r ON r.id = e.run_id ORDER BY r.run_index, e.rowid")
            + store.rows("SELECT r.run_index, c.agent, c.type, c.address, c.priority, c.time_ms FROM candidates c JOIN sessions s ON s.id = c.session_id JOIN runs r ON r.id = s.run_id ORDER BY r.run_index, c.rowid")
            + store.rows("SELECT r.run_index, e.expectation, e.passed, e.message FROM expectations e JOIN runs r ON r.id = e.run_id ORDER BY r.run_index, e.rowid")
            + store.rows("SELECT r.run_index, c.session, c.label, c.channel_open_ms, c.bytes_delivered, c.completed_ms, c.latency_p95_ms, c.messages_delivered, c.retransmissions FROM data_channels c JOIN runs r ON r.id = c.run_id ORDER BY r.run_index, c.session, c.label")
    }

    @Test func twoRunsRecordIdenticalRows() throws {
        let paths = [Self.temporaryDatabase(), Self.temporaryDatabase()]
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        var rows: [[[String?]]] = []
        for (index, path) in paths.enumerated() {
            let file = try Self.file("mobility.yaml")
            let store = try ResultStore(path: path)
            _ = try SweepRecording.execute(try SweepRecording.plan(file, store: store), file: file, store: store, version: "test",
                                           jobs: index + 1)
            rows.append(try Self.comparableRows(store))
        }
        #expect(rows[0].count > 50)
        #expect(rows[0] == rows[1])
    }

    @Test func differentSeedsGiveDifferentRuns() throws {
        let file = try Self.file("quickstart.yaml")
        let a = try file.scenario(at: 0), b = try file.scenario(at: 1)
        let ra = ScenarioRunner.run(index: 0, point: a.point, scenario: a.scenario)
        let rb = ScenarioRunner.run(index: 0, point: a.point, scenario: b.scenario)
        #expect(ra.events.map(\.detail) != rb.events.map(\.detail))
    }

    @Test func anInterruptedSweepResumesWithoutDuplicates() throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try Self.file("lossy-links.yaml")
        let store = try ResultStore(path: path)
        let started = Mutex(0)
        let first = try SweepRecording.plan(file, store: store)
        _ = try SweepRecording.execute(first, file: file, store: store, version: "test", jobs: 2,
                                       stop: { started.withLock { $0 += 1; return $0 > 20 } })
        let recorded = try store.runs().count
        #expect(recorded >= 10 && recorded < first.runCount)
        let second = try SweepRecording.plan(file, store: store)
        #expect(second.alreadyDone == recorded && second.pending.count == first.runCount - recorded)
        _ = try SweepRecording.execute(second, file: file, store: store, version: "test", jobs: 2)
        let keys = try store.rows("SELECT parameters, seed FROM runs")
        #expect(keys.count == first.runCount)
        #expect(Set(keys.map { "\($0)" }).count == keys.count)
    }

    @Test func shardsMergeIntoTheUnshardedResult() throws {
        let paths = (0..<4).map { _ in Self.temporaryDatabase() }
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let file = try Self.file("firewalls.yaml")
        let whole = try ResultStore(path: paths[0])
        _ = try SweepRecording.execute(try SweepRecording.plan(file, store: whole), file: file, store: whole, version: "test", jobs: 2)
        for i in 0..<2 {
            let shard = SweepPlan.Shard(parsing: "\(i)/2")
            let store = try ResultStore(path: paths[1 + i])
            _ = try SweepRecording.execute(try SweepRecording.plan(file, store: store, shard: shard), file: file, store: store,
                                           version: "test", jobs: 1)
        }
        #expect(try ResultStore(path: paths[2]).rows("SELECT shard FROM sweeps") == [["1/2"]])
        let merged = try ResultStore(path: paths[3])
        try merged.merge(from: paths[1])
        try merged.merge(from: paths[2])
        #expect(try Self.comparableRows(merged) == Self.comparableRows(whole))
    }
}
