import Foundation
import NetTypes
import Records
import Results
import Scenario
import TestSupport
import Testing

/// TCP cross traffic end to end: through a chain of NATs into the results database, a
/// media flow against a long TCP flow in RFC 8867 §5.6's setup, and byte-identical
/// databases from the same seed.
@Suite struct TCPTrafficScenarioTests {
    static let natChain = """
    name: tcp-nat-chain
    duration: 8s
    network:
      nats:
        cgn: { preset: cgnat }
        home: { preset: linux-masquerade, behind: cgn }
      hosts:
        alice: { behind: home }
        server: {}
      links:
        - { from: server, to: internet, latency: 20ms, bandwidth: 10Mbps, queue: 100ms }
    cross-traffic:
      - { kind: tcp-bulk, name: upload, from: alice, to: server, bytes: 3MB }
      - { kind: tcp-web, name: web, from: alice, to: server, sources: 2, mean-idle: 1s, file-size: [30KB, 60KB], stop: 6s }
    """

    static func record(_ text: String, into path: String) throws -> ResultStore {
        let file = try ScenarioFile(text: text, path: "tcp.yaml")
        let (point, scenario) = try file.scenario(at: 0)
        let result = ScenarioRunner.run(index: 0, point: point, scenario: scenario)
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: scenario.name, path: "tcp.yaml", scenarioHash: "h", version: "test", runCount: 1, shard: nil)
        try store.record(result, sweepID: sweep, scenarioHash: "h", version: "test")
        try store.finishSweep(sweep, wallSeconds: 0)
        return store
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("icelab-tcp-\(UUID().uuidString).sqlite").path
    }

    /// A host behind two NATs uploads 3 MB to a public server: every byte arrives, and
    /// the database holds the connection and its time series.
    @Test func bulkFlowThroughTwoNATsIsRecorded() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try Self.record(Self.natChain, into: path)
        #expect(try store.rows("SELECT outcome FROM runs") == [["passed"]])
        #expect(try store.rows("SELECT delivered_bytes, size_bytes, completed_ms IS NOT NULL FROM tcp_flows WHERE flow = 'upload'")
                == [["3000000", "3000000", "1"]])
        let series = try store.rows("SELECT name, COUNT(*) FROM series WHERE session = 'upload' GROUP BY name ORDER BY name")
        #expect(series.map { $0[0] } == ["tcp_cwnd_bytes", "tcp_goodput_bps", "tcp_retransmissions", "tcp_srtt_ms"])
        #expect(series.allSatisfy { Int($0[1] ?? "") ?? 0 >= 70 })  // every 100 ms for 8 s
        let goodput = try store.rows("SELECT SUM(value) * 0.1 / 8 FROM series WHERE session = 'upload' AND name = 'tcp_goodput_bps'")
        #expect(goodput[0][0].flatMap(Double.init).map { abs($0 - 3_000_000) < 1 } == true)
        #expect(try store.rows("SELECT COUNT(*) > 2 FROM tcp_flows WHERE flow = 'web' AND completed_ms IS NOT NULL") == [["1"]])
    }

    /// Same seed, same database: every row of every table but the wall-clock columns.
    @Test func sameSeedGivesIdenticalRows() throws {
        let paths = [Self.temporaryPath(), Self.temporaryPath()]
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        let stores = try paths.map { try Self.record(Self.natChain, into: $0) }
        let queries = [
            "SELECT run_index, parameters, seed, outcome, error, simulated_ms, simulator_events FROM runs",
            "SELECT * FROM tcp_flows ORDER BY rowid",
            "SELECT * FROM series ORDER BY rowid",
            "SELECT * FROM events ORDER BY rowid",
        ]
        for query in queries {
            let rows = try stores.map { try $0.rows(query) }
            let identical = rows[0] == rows[1]   // (a Bool: a failed comparison would print every row)
            #expect(identical, "\(query)")
            #expect(!rows[0].isEmpty, "\(query)")
        }
    }

    /// RFC 8867 §5.6: a GCC video flow beside a NewReno bulk flow on 2 Mbps. Neither
    /// starves: media keeps more than its 150 kbps minimum, TCP gets most of the rest, and
    /// together they use the link.
    @Test func mediaCompetesWithALongTCPFlow() async throws {
        let path = RmcatSuiteTests.directory.appendingPathComponent("5.6-competing-long-tcp.yaml").path
        let (point, scenario) = try ScenarioFile(path: path).scenario(at: 0)
        let result = try await onOwnThread { ScenarioRunner.run(index: 0, point: point, scenario: scenario) }
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let window = TimeWindow(from: .seconds(20), to: .seconds(119))
        let media = try #require(FlowSeries.grouped(result.series)["call/0"]?.meanReceivedRate(in: window))
        let tcp = result.series.filter { $0.session == "tcp" && $0.name == TCPSeries.goodput && window.contains($0.time) }.map(\.value)
        let tcpRate = tcp.reduce(0, +) / Double(max(tcp.count, 1))
        #expect(media > 180_000, "media \(media) bit/s")
        #expect(tcpRate > 1_000_000, "TCP \(tcpRate) bit/s")
        #expect(media + tcpRate > 0.9 * 2_000_000, "media \(media) + TCP \(tcpRate) bit/s")
    }
}
