import Foundation
import NetTypes
import Reporting
import Records
import Results
import Testing

/// The regression gate: metrics from a results database, baseline files, tolerances,
/// regressions and JUnit XML.
@Suite struct CompareTests {
    /// A database with one run of scenario `name`: session `call` connected after 100 ms and
    /// flow `call/0` at `received` of a 1 Mbps capacity with `queue` ms of queuing delay.
    static func database(received: Double = 800_000, queue: Double = 20, name: String = "gate", firstMedia: Int64? = nil) throws -> String {
        let path = ReportFixture.temporaryPath()
        let store = try ResultStore(path: path)
        let sweepID = try store.startSweep(name: name, path: "\(name).yaml", scenarioHash: "h", version: "test", runCount: 1,
                                           shard: nil)
        var flow = FlowSeries(label: "call/0")
        for i in 0..<200 {
            let t = NetTypes.Duration.milliseconds(Int64(100 * i))
            flow.append(FlowSeries.Name.target, min(Double(i) * 100_000, 900_000), at: t)
            flow.append(FlowSeries.Name.capacity, 1_000_000, at: t)
            flow.append(FlowSeries.Name.received, received, at: t)
            flow.append(FlowSeries.Name.queueDelay, queue, at: t)
            flow.append(FlowSeries.Name.packetsExpected, 1000, at: t)
            flow.append(FlowSeries.Name.packetsLost, 1, at: t)
        }
        let result = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0.1,
                               simulatedTime: .seconds(20), simulatorEvents: 1,
                               sessions: [SessionResult(name: "call", offerer: "alice", answerer: "bob", connected: true,
                                                        connectedTime: .milliseconds(100), nominatedTime: .milliseconds(150), finalState: "connected",
                                                        dtlsState: firstMedia.map { _ in "connected" }, dtlsTime: firstMedia.map { .milliseconds($0 - 10) },
                                                        firstMediaTime: firstMedia.map { .milliseconds($0) })],
                               series: flow.rows)
        try store.record(result, sweepID: sweepID, scenarioHash: "h", version: "test")
        return path
    }

    @Test func metricsComeFromTheDatabase() throws {
        let path = try Self.database()
        defer { ReportFixture.remove(path) }
        let metrics = try RegressionMetrics(contentsOf: path)
        let run = try #require(metrics.scenarios["gate"]?["seed=1"])
        #expect(run["call"]?["connected_ms"] == 100 && run["call"]?["nominated_ms"] == 150)
        #expect(run["call/0"]?["utilization"] == 0.8)
        #expect(run["call/0"]?["queue_delay_p95_ms"] == 20)
        #expect(run["call/0"]?["time_to_rate_s"] == 0.8)
        #expect(abs((run["call/0"]?["loss"] ?? 0) - 0.001) < 1e-12)
    }

    /// Time to media gates like connect time: a slower handshake or first frame regresses.
    @Test func timeToMediaIsGated() throws {
        let baseline = try Self.database(firstMedia: 300), slower = try Self.database(firstMedia: 600)
        defer { [baseline, slower].forEach(ReportFixture.remove) }
        let reference = try RegressionMetrics(contentsOf: baseline)
        let run = try #require(reference.scenarios["gate"]?["seed=1"]?["call"])
        #expect(run["dtls_ms"] == 290 && run["first_media_ms"] == 300)
        let comparison = Comparison(baseline: reference, candidate: try RegressionMetrics(contentsOf: slower))
        #expect(Set(comparison.rows.filter(\.failed).map(\.metric)) == ["dtls_ms", "first_media_ms"])
    }

    @Test func identicalRunsPassAndAnInjectedRegressionFails() throws {
        let baseline = try Self.database(), same = try Self.database(), worse = try Self.database(received: 600_000, queue: 80)
        defer { [baseline, same, worse].forEach(ReportFixture.remove) }
        let reference = try RegressionMetrics(contentsOf: baseline)
        let unchanged = Comparison(baseline: reference, candidate: try RegressionMetrics(contentsOf: same))
        #expect(!unchanged.hasRegression)
        #expect(unchanged.rows.allSatisfy { $0.status == .unchanged })
        let regressed = Comparison(baseline: reference, candidate: try RegressionMetrics(contentsOf: worse))
        #expect(regressed.hasRegression)
        let failed = Set(regressed.rows.filter(\.failed).map(\.metric))
        #expect(failed == ["utilization", "queue_delay_p95_ms"])
        #expect(regressed.table.contains("REGRESSED"))
        // Looser tolerances accept the change.
        var loose = Tolerances.defaults
        loose.allowances["utilization"] = .init(absolute: 0.3)
        loose.allowances["queue_delay_p95_ms"] = .init(relative: 5)
        #expect(!Comparison(baseline: reference, candidate: try RegressionMetrics(contentsOf: worse), tolerances: loose).hasRegression)
        // The reverse direction is an improvement, not a failure.
        let improved = Comparison(baseline: try RegressionMetrics(contentsOf: worse), candidate: reference)
        #expect(!improved.hasRegression && improved.rows.contains { $0.status == .improved })
    }

    @Test func junitIsWellFormedWithAFailurePerRegressedMetric() throws {
        let baseline = try Self.database(), worse = try Self.database(received: 600_000)
        defer { [baseline, worse].forEach(ReportFixture.remove) }
        let comparison = Comparison(baseline: try RegressionMetrics(contentsOf: baseline), candidate: try RegressionMetrics(contentsOf: worse))
        let xml = comparison.junit
        let prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        #expect(xml.hasPrefix(prolog))
        let body = String(xml.dropFirst(prolog.count))
        #expect(XMLWellFormedness.check(body) == nil, "\(XMLWellFormedness.check(body) ?? "")")
        // One test case per scenario × metric: connected_ms, nominated_ms, loss, queue delay, time to rate, utilization.
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 6)
        #expect(xml.components(separatedBy: "<failure ").count - 1 == 1)
        #expect(xml.contains("classname=\"gate\" name=\"utilization\""))
        #expect(xml.contains("tests=\"6\" failures=\"1\""))
    }

    @Test func baselineRoundTrips() throws {
        let path = try Self.database()
        let json = ReportFixture.temporaryPath("json")
        defer { ReportFixture.remove(path); ReportFixture.remove(json) }
        let metrics = try RegressionMetrics(contentsOf: path)
        try metrics.baselineJSON().write(to: URL(fileURLWithPath: json))
        let loaded = try RegressionMetrics(contentsOf: json)
        // Values are rounded to four decimals in the file; writing the loaded file again changes nothing.
        #expect(try loaded.baselineJSON() == metrics.baselineJSON())
        #expect(abs((loaded.scenarios["gate"]?["seed=1"]?["call/0"]?["loss"] ?? 0) - 0.001) < 1e-12)
        #expect(!Comparison(baseline: loaded, candidate: metrics).hasRegression)
        // A metric the candidate lacks is a regression.
        var partial = metrics
        partial.scenarios["gate"]?["seed=1"]?["call/0"]?["loss"] = nil
        #expect(Comparison(baseline: loaded, candidate: partial).rows.contains { $0.status == .missing && $0.metric == "loss" })
    }

    @Test func tolerancesFileOverridesDefaultsAndRejectsUnknownMetrics() throws {
        let good = ReportFixture.temporaryPath("json"), bad = ReportFixture.temporaryPath("json")
        defer { ReportFixture.remove(good); ReportFixture.remove(bad) }
        try Data(#"{"utilization": {"absolute": 0.2, "relative": 0}}"#.utf8).write(to: URL(fileURLWithPath: good))
        try Data(#"{"utilisation": {"absolute": 0.2, "relative": 0}}"#.utf8).write(to: URL(fileURLWithPath: bad))
        let tolerances = try Tolerances(overridesAt: good)
        #expect(tolerances.allowance("utilization").absolute == 0.2)
        #expect(tolerances.allowance("loss") == Tolerances.defaults.allowance("loss"))
        #expect(throws: CompareError.self) { try Tolerances(overridesAt: bad) }
    }

    /// RFC 8868 §3's metrics from the exact 200 ms series: per flow and per run, and `new`
    /// (not a failure) against a baseline recorded before they existed.
    @Test func rfc8868MetricsAreGatedAndNewAgainstAnOlderBaseline() throws {
        let path = ReportFixture.temporaryPath()
        defer { ReportFixture.remove(path) }
        let store = try ResultStore(path: path)
        let sweepID = try store.startSweep(name: "gate", path: "gate.yaml", scenarioHash: "h", version: "test", runCount: 1, shard: nil)
        // Two flows at 600 and 300 kbit/s over a 1 Mbit/s bottleneck for 30 s; a TCP flow at 900 kbit/s.
        var series: [SeriesSample] = []
        for (label, rate) in [("a/0", 600_000.0), ("b/0", 300_000.0)] {
            var flow = FlowSeries(label: label)
            for i in 1...150 {
                let t = NetTypes.Duration.milliseconds(Int64(200 * i))
                flow.append(FlowSeries.Name.capacity, 1_000_000, at: t)
                for name in [FlowSeries.Name.sent200ms, FlowSeries.Name.received200ms] { flow.append(name, rate, at: t) }
                flow.append(FlowSeries.Name.utilization200ms, rate / 1_000_000, at: t)
            }
            series += flow.rows
        }
        series += (1...300).map { SeriesSample(session: "bulk", name: TCPSeries.goodput, time: .milliseconds(Int64(100 * $0)), value: 900_000) }
        let result = RunResult(runIndex: 0, parameters: SweepPoint(assignments: []), seed: 1, outcome: .passed, wallSeconds: 0.1,
                               simulatedTime: .seconds(30), simulatorEvents: 1, series: series)
        try store.record(result, sweepID: sweepID, scenarioHash: "h", version: "test")
        let metrics = try RegressionMetrics(contentsOf: path)
        let run = try #require(metrics.scenarios["gate"]?["seed=1"])
        #expect(run["a/0"]?["convergence_s"] == 0 && run["a/0"]?["oscillations"] == 0 && abs((run["a/0"]?["sending_utilization"] ?? 0) - 0.6) < 1e-12)
        for timescale in ["1s", "5s", "20s"] {
            #expect(run["run"]?["throughput_ratio_\(timescale)"] == 0.5, "\(timescale)")
            #expect(run["run"]?["tcp_throughput_ratio_\(timescale)"] == 1.0 / 3, "\(timescale)")
        }
        var older = metrics
        older.scenarios["gate"]?["seed=1"]?["run"] = nil
        older.scenarios["gate"]?["seed=1"]?["a/0"]?["convergence_s"] = nil
        let comparison = Comparison(baseline: older, candidate: metrics)
        #expect(!comparison.hasRegression)
        #expect(comparison.rows.filter { $0.status == .new }.count == 7)
        // Fewer swings and a better ratio are improvements: the directions are the RFC's.
        #expect(Metric.throughputRatio5s.higherIsBetter && !Metric.oscillations.higherIsBetter && !Metric.convergence.higherIsBetter)
    }
}
