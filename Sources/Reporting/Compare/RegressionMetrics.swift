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
                let samples = try store.samples(runID: run.id, names: FlowSeries.Name.all + [TCPSeries.goodput]).map {
                    SeriesSample(session: $0.session, name: $0.name, time: NetTypes.Duration.microseconds(Int64(($0.timeMilliseconds * 1000).rounded())), value: $0.value)
                }
                let tcp = Dictionary(grouping: samples.filter { $0.name == TCPSeries.goodput }) { $0.session ?? "" }
                    .mapValues { $0.map { (time: $0.time, value: $0.value) } }
                for (label, metrics) in Self.flowMetrics(FlowSeries.grouped(samples), tcpGoodput: tcp) { subjects[label] = metrics }
                table[scenario, default: [:]][Self.runKey(run)] = subjects
            }
        }
        scenarios = table
    }

    static func runKey(_ run: StoredRunSummary) -> String {
        (["seed=\(run.seed)"] + run.parameters.filter { $0.name != "seed" }.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }

    /// Per flow: utilisation, p95 queuing delay, time to rate, loss, and from the exact
    /// 200 ms rates (when recorded) convergence time after the start, oscillations and the
    /// mean sending utilisation; per run (`run`): fairness, and the throughput ratios of
    /// `StaticWindowRatios` (TCP flows by name in `tcpGoodput`).
    static func flowMetrics(_ flows: [String: FlowSeries], tcpGoodput: [String: StaticWindowRatios.Samples] = [:]) -> [String: [String: Double]] {
        var result: [String: [String: Double]] = [:]
        for (label, flow) in flows {
            var metrics: [String: Double] = [:]
            metrics[Metric.utilization.rawValue] = flow.utilization()
            metrics[Metric.queueDelayP95.rawValue] = flow.queueDelayP95()
            metrics[Metric.timeToRate.rawValue] = flow.timeToRate(share: rateShare)?.seconds
            metrics[Metric.loss.rawValue] = flow.loss()
            if let start = flow.intervalSpan?.lowerBound {
                metrics[Metric.convergence.rawValue] = flow.convergenceTime(after: start)?.seconds
                metrics[Metric.oscillations.rawValue] = flow.oscillations().map { Double($0) }
                metrics[Metric.sendingUtilization.rawValue] = flow.statistics(FlowSeries.Name.utilization200ms)?.mean
            }
            result[label] = metrics
        }
        let spans = flows.values.compactMap(\.span)
        if spans.count >= 2, let from = spans.map(\.lowerBound).max(), let to = spans.map(\.upperBound).min(), to - from >= fairnessMinimumSpan {
            let window = TimeWindow(from: from, to: to)
            let rates = flows.values.compactMap { $0.meanReceivedRate(in: window) }
            if rates.count == flows.count, let index = FlowSeries.jainIndex(rates) { result["run"] = [Metric.fairness.rawValue: index] }
        }
        let ratios = StaticWindowRatios(flows: flows.keys.sorted().compactMap { flows[$0] }, tcpGoodput: tcpGoodput.keys.sorted().compactMap { tcpGoodput[$0] })
        for (index, timescale) in ThroughputWindows.standardTimescales.enumerated() {
            if let worst = ratios.worstMediaRatio(timescale: timescale) { result["run", default: [:]][Metric.throughputRatios[index].rawValue] = worst }
            if let worst = ratios.worstTCPRatio(timescale: timescale) { result["run", default: [:]][Metric.tcpThroughputRatios[index].rawValue] = worst }
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
    /// RFC 8868 §3 item 8: from the flow's start until its 200 ms sending rate converged
    /// (`ConvergenceCriterion.standard`).
    case convergence = "convergence_s"
    /// RFC 8868 §3 item 9: swings of the 200 ms sending rate between 500 kbps and 2 Mbps within 500 ms.
    case oscillations
    /// RFC 8868 §3 item 10: the mean of the 200 ms sending rate over the bottleneck's capacity.
    case sendingUtilization = "sending_utilization"
    /// RFC 8868 §3 item 7: the smallest ratio of the slower to the faster media flow's
    /// throughput over static windows of 1 s, 5 s and 20 s (`StaticWindowRatios`) ...
    case throughputRatio1s = "throughput_ratio_1s"
    case throughputRatio5s = "throughput_ratio_5s"
    case throughputRatio20s = "throughput_ratio_20s"
    /// ... and between each media flow and each TCP cross-traffic flow.
    case tcpThroughputRatio1s = "tcp_throughput_ratio_1s"
    case tcpThroughputRatio5s = "tcp_throughput_ratio_5s"
    case tcpThroughputRatio20s = "tcp_throughput_ratio_20s"

    /// The media ratios at `ThroughputWindows.standardTimescales`, in that order.
    static let throughputRatios: [Metric] = [.throughputRatio1s, .throughputRatio5s, .throughputRatio20s]
    /// The media-over-TCP ratios at the same timescales.
    static let tcpThroughputRatios: [Metric] = [.tcpThroughputRatio1s, .tcpThroughputRatio5s, .tcpThroughputRatio20s]

    /// Whether larger values are better.
    public var higherIsBetter: Bool {
        [.utilization, .fairness, .sendingUtilization].contains(self) || Self.throughputRatios.contains(self) || Self.tcpThroughputRatios.contains(self)
    }
}
