import NetTypes
import Records
import Results

/// The per-test figures a regression gate compares: for every scenario (its latest sweep
/// in a database), run (`seed=N` and swept parameters), and subject (an ICE session or a
/// media flow `session/index`, or `run` for the whole run), a value per metric.
public struct RegressionMetrics: Codable, Sendable, Equatable {
    /// scenario → run → subject → metric → value.
    public typealias Table = [String: [String: [String: [String: Double]]]]

    public var scenarios: Table

    public init(scenarios: Table = [:]) {
        self.scenarios = scenarios
    }

    /// Share of the capacity a flow's target must reach for `time_to_rate_s`.
    public static let rateShare = 0.8
    /// Shortest common span of all flows of a run for `fairness`.
    public static let fairnessMinimumSpan = NetTypes.Duration.seconds(10)

    /// The figures of every scenario's latest sweep in `store`.
    public init(store: ResultStore) throws(ResultStoreError) {
        var latest: [String: Int64] = [:]
        for row in try store.rows("SELECT id, scenario_name FROM sweeps ORDER BY id") {
            if let id = row[0].flatMap({ Int64($0) }), let name = row[1] { latest[name] = id }
        }
        var table: Table = [:]
        for (scenario, sweepID) in latest {
            let sessions = try store.sessions(sweepID: sweepID)
            for run in try store.runSummaries(sweepID: sweepID) {
                var subjects: [String: [String: Double]] = [:]
                for session in sessions where session.runID == run.id {
                    if let ms = session.connectedMilliseconds { subjects[session.name, default: [:]][Metric.connected.rawValue] = ms }
                    if let ms = session.nominatedMilliseconds { subjects[session.name, default: [:]][Metric.nominated.rawValue] = ms }
                    if let ms = session.dtlsMilliseconds { subjects[session.name, default: [:]][Metric.dtls.rawValue] = ms }
                    if let ms = session.firstMediaMilliseconds { subjects[session.name, default: [:]][Metric.firstMedia.rawValue] = ms }
                }
                let samples = try store.samples(runID: run.id, names: FlowSeries.Name.all).map {
                    SeriesSample(session: $0.session, name: $0.name, time: NetTypes.Duration.microseconds(Int64(($0.timeMilliseconds * 1000).rounded())), value: $0.value)
                }
                for (label, metrics) in Self.flowMetrics(FlowSeries.grouped(samples)) { subjects[label] = metrics }
                table[scenario, default: [:]][Self.runKey(run)] = subjects
            }
        }
        scenarios = table
    }

    static func runKey(_ run: StoredRunSummary) -> String {
        (["seed=\(run.seed)"] + run.parameters.filter { $0.name != "seed" }.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }

    /// Per flow: utilisation, p95 queuing delay, time to rate, loss; per run (`run`): fairness.
    static func flowMetrics(_ flows: [String: FlowSeries]) -> [String: [String: Double]] {
        var result: [String: [String: Double]] = [:]
        for (label, flow) in flows {
            var metrics: [String: Double] = [:]
            metrics[Metric.utilization.rawValue] = flow.utilization()
            metrics[Metric.queueDelayP95.rawValue] = flow.queueDelayP95()
            metrics[Metric.timeToRate.rawValue] = flow.timeToRate(share: rateShare)?.seconds
            metrics[Metric.loss.rawValue] = flow.loss()
            result[label] = metrics
        }
        let spans = flows.values.compactMap(\.span)
        if spans.count >= 2, let from = spans.map(\.lowerBound).max(), let to = spans.map(\.upperBound).min(), to - from >= fairnessMinimumSpan {
            let window = TimeWindow(from: from, to: to)
            let rates = flows.values.compactMap { $0.meanReceivedRate(in: window) }
            if rates.count == flows.count, let index = FlowSeries.jainIndex(rates) { result["run"] = [Metric.fairness.rawValue: index] }
        }
        return result
    }
}

/// A metric the gate knows, with the direction in which it gets better.
public enum Metric: String, CaseIterable, Sendable {
    case utilization
    case queueDelayP95 = "queue_delay_p95_ms"
    case timeToRate = "time_to_rate_s"
    case loss
    case fairness
    /// Until both agents had a usable pair (a browser's "connected").
    case connected = "connected_ms"
    /// Until both agents' selected pairs were nominated.
    case nominated = "nominated_ms"
    /// Until both DTLS endpoints were connected.
    case dtls = "dtls_ms"
    /// Until the first media frame arrived whole (time to media).
    case firstMedia = "first_media_ms"

    /// Whether larger values are better.
    public var higherIsBetter: Bool { self == .utilization || self == .fairness }
}
