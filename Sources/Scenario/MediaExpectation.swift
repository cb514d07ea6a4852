import NetTypes
import Records

/// A condition on media flows (`expect:` entries with `flow`, `sessions` or a media check):
/// utilisation of the bottleneck, queuing delay, ramp-up time, loss, or fairness between
/// sessions. Metrics come from the flows' time series (`FlowSeries`).
public struct MediaExpectation: Sendable {
    public enum Check: Sendable {
        /// Mean received rate / mean capacity of the bottleneck over the window.
        case utilization(window: TimeWindow, atLeast: Double)
        /// 95th percentile of the queuing delay samples in the window.
        case queueDelayP95(window: TimeWindow, below: Duration)
        /// From the flow's start until the target rate first reaches `share` of the capacity.
        case timeToRate(share: Double, within: Duration)
        /// Packets lost over packets expected over the whole flow (`FlowSeries.loss(in:)`).
        case lossBelow(Double)
        /// Jain's index over the mean received rates of flow `flow` of each session in the window.
        case fairness(window: TimeWindow, atLeast: Double)
        /// The value of series `series` at time `at` (its last sample at or before `at`)
        /// within `tolerance` of `expected` (relative when `relative`, else absolute).
        case valueAt(series: String, at: Duration, expected: Double, tolerance: Double, relative: Bool)
        /// The first flow's mean received rate over the second's (or over the TCP flow
        /// `crossTraffic`'s goodput) in the window, within `range` (RFC 8868 §3 item 7:
        /// throughput ratio between flows). With `timescale`, the ratio of every whole
        /// `timescale` window (`ThroughputWindows`) of the exact 200 ms received rates.
        case throughputRatio(window: TimeWindow, range: ClosedRange<Double>, timescale: Duration?)
        /// Percentile `percentile` (nearest rank) of the delay samples of `series` in the window below `below`.
        case delayPercentile(series: String, percentile: Double, window: TimeWindow, below: Duration)
        /// The last sample of series `series` (a counter's total, e.g. `freeze_count`) within `range`.
        case finalValue(series: String, range: ClosedRange<Double>)
        /// RFC 8868 §3 item 8: the 200 ms sending rate converged (`ConvergenceCriterion`)
        /// within `within` of `after` (nil: the flow's start).
        case convergence(after: Duration?, within: Duration, criterion: ConvergenceCriterion)
        /// RFC 8868 §3 item 9: at most `atMost` swings of the 200 ms sending rate between
        /// the watermarks in the window.
        case oscillations(OscillationCriterion, window: TimeWindow, atMost: Int)
        /// RFC 8868 §3's statistical measures: `measure` of the samples of `series` in the window, within `range`.
        case statistic(series: String, measure: SeriesStatistics.Measure, window: TimeWindow, range: ClosedRange<Double>)
    }

    /// One session, or several for fairness.
    public var sessions: [String]
    /// The flow of each session (index in the order of `media:` entries, `both` counting
    /// twice): `flow: N` for all, or a list with one index per session.
    public var flows: [Int]
    public var check: Check
    public var location: SourceLocation
    public var sessionLocations: [SourceLocation]
    public var flowLocation: SourceLocation?
    /// The TCP cross-traffic flow `throughput-ratio` compares the session's flow with.
    public var crossTraffic: String?
    public var crossTrafficLocation: SourceLocation?

    /// Keys that make an `expect:` entry a media expectation.
    public static let markers = ["flow", "sessions", "utilization-after", "queue-delay-p95", "time-to-rate", "loss-below",
                                 "fairness-at-least", "value-at", "throughput-ratio", "delay-percentile", "final-value",
                                 "convergence-time", "oscillations", "statistic"]
    public static let keys = ["session"] + markers + ["from", "to", "cross-traffic"]
    static let checks = ["utilization-after", "queue-delay-p95", "time-to-rate", "loss-below", "fairness-at-least", "value-at",
                         "throughput-ratio", "delay-percentile", "final-value", "convergence-time", "oscillations", "statistic"]
    /// Checks that compare several sessions' flows (`sessions:`), and how many they take.
    static let multiFlowChecks = ["fairness-at-least": 2...1000, "throughput-ratio": 2...2]
    /// The delay series `delay-percentile` reads: `of: queue` (default), `one-way` or
    /// `frame` (capture to render, flows with recovery).
    static let delaySeries = ["queue": FlowSeries.Name.queueDelay, "one-way": FlowSeries.Name.oneWayDelay,
                              "frame": FlowSeries.Name.frameDelay]

    /// Whether `node` is a media expectation (it names a flow, several sessions or a media check).
    static func applies(to node: YAMLNode) -> Bool {
        guard let entries = try? node.mapping() else { return false }
        return entries.contains { markers.contains($0.key) }
    }

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: MediaExpectation.keys)
        let present = MediaExpectation.checks.filter { f.has($0) }
        guard present.count == 1, let checkNode = f.optional(present[0]) else {
            throw node.error("a media expectation has exactly one of \(MediaExpectation.checks.joined(separator: ", "))")
        }
        let crossTrafficNode = f.optional("cross-traffic")
        if let node = crossTrafficNode, present[0] != "throughput-ratio" { throw node.error("'cross-traffic' belongs to throughput-ratio") }
        crossTraffic = try crossTrafficNode?.string()
        crossTrafficLocation = crossTrafficNode?.location
        if let counts = MediaExpectation.multiFlowChecks[present[0]], crossTrafficNode == nil {
            let list = try f.required("sessions")
            let items = try list.sequence()
            guard counts.contains(items.count) else {
                throw list.error(counts.count == 1 ? "\(present[0]) compares exactly \(counts.lowerBound) sessions (first over second)"
                                                   : "fairness compares at least two sessions")
            }
            sessions = try items.map { item throws(ScenarioError) in try item.string() }
            sessionLocations = items.map(\.location)
            if f.has("session") { throw try f.required("session").error("\(present[0]) names 'sessions', not 'session'") }
        } else {
            if let list = f.optional("sessions") {
                throw list.error(crossTrafficNode == nil ? "'sessions' is for fairness-at-least and throughput-ratio; name one 'session'"
                                                     : "throughput-ratio with cross-traffic compares one session's flow: name one 'session'")
            }
            let s = try f.required("session")
            sessions = [try s.string()]
            sessionLocations = [s.location]
        }
        flowLocation = f.optional("flow")?.location
        if let list = f.optional("flow"), list.isSequence {
            let items = try list.sequence()
            guard items.count == sessions.count else { throw list.error("flow lists one index per session (\(sessions.count)), found \(items.count)") }
            flows = try items.map { item throws(ScenarioError) in try item.int(in: 0...1000) }
        } else {
            flows = Array(repeating: try f.optional("flow")?.int(in: 0...1000) ?? 0, count: sessions.count)
        }
        for key in ["from", "to"] where present[0] != "fairness-at-least" && f.has(key) {
            throw try f.required(key).error("'\(key)' belongs inside \(present[0]) (only fairness-at-least takes it beside)")
        }
        switch present[0] {
        case "utilization-after":
            let g = try checkNode.fields(allowed: ["from", "to", "at-least"])
            check = .utilization(window: try TimeWindow(g), atLeast: try MediaExpectation.share(g.required("at-least")))
        case "queue-delay-p95":
            let g = try checkNode.fields(allowed: ["from", "to", "below"])
            check = .queueDelayP95(window: try TimeWindow(g), below: try g.required("below").duration())
        case "time-to-rate":
            let g = try checkNode.fields(allowed: ["share", "within"])
            check = .timeToRate(share: try MediaExpectation.share(g.required("share")), within: try g.required("within").duration())
        case "loss-below":
            check = .lossBelow(try checkNode.percentage())
        case "value-at":
            check = try MediaExpectation.valueAt(checkNode)
        case "throughput-ratio":
            check = try MediaExpectation.throughputRatio(checkNode)
        case "delay-percentile":
            let g = try checkNode.fields(allowed: ["of", "percentile", "from", "to", "below"])
            let pNode = try g.required("percentile")
            let p = try pNode.double()
            guard p > 0, p <= 100 else { throw pNode.error("percentile is in (0, 100], e.g. 99") }
            var series = FlowSeries.Name.queueDelay
            if let of = g.optional("of") {
                let name = try of.string()
                guard let known = MediaExpectation.delaySeries[name] else {
                    throw of.error("of: '\(name)'\(Suggestions.hint(for: name, in: Array(MediaExpectation.delaySeries.keys))); "
                                   + "known: \(MediaExpectation.delaySeries.keys.sorted().joined(separator: ", "))")
                }
                series = known
            }
            check = .delayPercentile(series: series, percentile: p, window: try TimeWindow(g), below: try g.required("below").duration())
        case "final-value":
            check = try MediaExpectation.finalValue(checkNode)
        case "convergence-time":
            check = try MediaExpectation.convergence(checkNode)
        case "oscillations":
            check = try MediaExpectation.oscillations(checkNode)
        case "statistic":
            check = try MediaExpectation.statistic(checkNode)
        default:
            check = .fairness(window: try TimeWindow(f), atLeast: try MediaExpectation.share(checkNode))
        }
    }

    /// `value-at: { series, at, expected, tolerance }`: the series must be a flow series;
    /// `expected` and an absolute `tolerance` are plain numbers in the series' unit, or a
    /// rate (`1Mbps`) for a `_bps` series and a duration (`50ms`) for a `_ms` series;
    /// `tolerance: 10%` is relative to `expected`.
    static func valueAt(_ node: YAMLNode) throws(ScenarioError) -> Check {
        let g = try node.fields(allowed: ["series", "at", "expected", "tolerance"])
        let seriesNode = try g.required("series")
        let series = try seriesNode.string()
        guard FlowSeries.Name.all.contains(series) else {
            throw seriesNode.error("unknown series '\(series)'\(Suggestions.hint(for: series, in: FlowSeries.Name.all)); "
                                   + "known: \(FlowSeries.Name.all.joined(separator: ", "))")
        }
        let at = try g.required("at").duration()
        let expected = try quantity(g.required("expected"), series: series)
        let toleranceNode = try g.required("tolerance")
        let relative = try toleranceNode.string().hasSuffix("%")
        let tolerance = relative ? try toleranceNode.percentage() : try quantity(toleranceNode, series: series)
        guard tolerance >= 0 else { throw toleranceNode.error("tolerance must not be negative") }
        return .valueAt(series: series, at: at, expected: expected, tolerance: tolerance, relative: relative)
    }

    /// `final-value: { series, at-least, at-most }`: bounds in the series' unit (a
    /// percentage for a fraction such as `residual_loss`).
    static func finalValue(_ node: YAMLNode) throws(ScenarioError) -> Check {
        let g = try node.fields(allowed: ["series", "at-least", "at-most"])
        let seriesNode = try g.required("series")
        let series = try seriesNode.string()
        guard FlowSeries.Name.all.contains(series) else {
            throw seriesNode.error("unknown series '\(series)'\(Suggestions.hint(for: series, in: FlowSeries.Name.all)); "
                                   + "known: \(FlowSeries.Name.all.joined(separator: ", "))")
        }
        guard g.has("at-least") || g.has("at-most") else { throw node.error("final-value needs at-least and/or at-most") }
        let low = try g.optional("at-least").map { n throws(ScenarioError) in try quantity(n, series: series) } ?? -.infinity
        let high = try g.optional("at-most").map { n throws(ScenarioError) in try quantity(n, series: series) } ?? .infinity
        guard low <= high else { throw node.error("final-value needs at-least ≤ at-most") }
        return .finalValue(series: series, range: low...high)
    }

    /// A number in `series`' unit, or a rate / duration / percentage written with its unit.
    static func quantity(_ node: YAMLNode, series: String) throws(ScenarioError) -> Double {
        let text = try node.string()
        if Double(text) != nil { return try node.double() }
        if text.hasSuffix("%") { return try node.percentage() }
        if series.hasSuffix("_bps") { return Double(try node.bitrate().bitsPerSecond) }
        if series.hasSuffix("_ms") { return try node.duration().milliseconds }
        throw node.error("expected a number for series '\(series)', found '\(text)'")
    }

    /// A fraction written as `80%` or `0.8`.
    static func share(_ node: YAMLNode) throws(ScenarioError) -> Double {
        let text = try node.string()
        let value = text.hasSuffix("%") ? try node.percentage() : try node.double()
        guard (0...1).contains(value) else { throw node.error("expected a share between 0 and 1 (or 0% and 100%), found '\(text)'") }
        return value
    }

    /// Whether the check needs the flow's bottleneck capacity.
    var needsCapacity: Bool {
        switch check {
        case .utilization, .timeToRate: return true
        case .valueAt(let series, _, _, _, _), .statistic(let series, _, _, _), .finalValue(let series, _):
            return series == FlowSeries.Name.capacity || series == FlowSeries.Name.utilization200ms
        default: return false
        }
    }
}

extension TimeWindow {
    /// The window of an expectation's `from`/`to` keys.
    init(_ f: Fields) throws(ScenarioError) {
        self.init(from: try f.optional("from")?.duration() ?? .zero, to: try f.optional("to")?.duration())
        if let to, to <= from { throw try f.required("to").error("to (\(to)) must be after from (\(from))") }
    }
}
