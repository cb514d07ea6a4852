import NetTypes
import Records

/// The `expect:` checks of the RFC 8868 §3 metrics computed from the exact 200 ms rates:
/// throughput ratio at a timescale, convergence time, oscillations, statistical measures.
extension MediaExpectation {
    /// `throughput-ratio: { from, to, at-least, at-most, timescale }`.
    static func throughputRatio(_ node: YAMLNode) throws(ScenarioError) -> Check {
        let g = try node.fields(allowed: ["from", "to", "at-least", "at-most", "timescale"])
        guard g.has("at-least") || g.has("at-most") else { throw node.error("throughput-ratio needs at-least and/or at-most") }
        let low = try g.optional("at-least")?.double() ?? 0, high = try g.optional("at-most")?.double() ?? .infinity
        guard low >= 0, low <= high else { throw node.error("throughput-ratio needs 0 ≤ at-least ≤ at-most") }
        let timescale = try g.optional("timescale").map { n throws(ScenarioError) in try intervals(n, key: "timescale") }
        return .throughputRatio(window: try TimeWindow(g), range: low...high, timescale: timescale)
    }

    /// `convergence-time: { after, within, tolerance, hold }`: `after` defaults to the
    /// flow's start, `tolerance` to 20 % and `hold` to 2 s (`ConvergenceCriterion.standard`).
    static func convergence(_ node: YAMLNode) throws(ScenarioError) -> Check {
        let g = try node.fields(allowed: ["after", "within", "tolerance", "hold"])
        var criterion = ConvergenceCriterion.standard
        if let t = g.optional("tolerance") {
            criterion.tolerance = try share(t)
            guard criterion.tolerance > 0 else { throw t.error("tolerance must be above 0%") }
        }
        if let h = g.optional("hold") { criterion.hold = try intervals(h, key: "hold") }
        return .convergence(after: try g.optional("after")?.duration(), within: try g.required("within").duration(), criterion: criterion)
    }

    /// `oscillations: { low, high, window, from, to, at-most }`: watermarks default to
    /// 500 kbps and 2 Mbps, the window to 500 ms (RFC 8868 §3 item 9's example).
    static func oscillations(_ node: YAMLNode) throws(ScenarioError) -> Check {
        let g = try node.fields(allowed: ["low", "high", "window", "from", "to", "at-most"])
        var criterion = OscillationCriterion.standard
        if let n = g.optional("low") { criterion.low = Double(try n.bitrate().bitsPerSecond) }
        if let n = g.optional("high") { criterion.high = Double(try n.bitrate().bitsPerSecond) }
        guard criterion.low < criterion.high else {
            throw node.error("oscillations needs low < high (low \(Int(criterion.low)) bps, high \(Int(criterion.high)) bps)")
        }
        if let n = g.optional("window") {
            criterion.window = try n.duration()
            guard criterion.window > .zero else { throw n.error("window must be positive") }
        }
        return .oscillations(criterion, window: try TimeWindow(g), atMost: try g.required("at-most").int(in: 0...1_000_000))
    }

    /// `statistic: { series, measure, from, to, at-least, at-most }`: `measure` is min,
    /// max, mean, stddev or variance; bounds in the series' unit (squared for variance,
    /// so a plain number there).
    static func statistic(_ node: YAMLNode) throws(ScenarioError) -> Check {
        let g = try node.fields(allowed: ["series", "measure", "from", "to", "at-least", "at-most"])
        let seriesNode = try g.required("series")
        let series = try seriesNode.string()
        guard FlowSeries.Name.all.contains(series) else {
            throw seriesNode.error("unknown series '\(series)'\(Suggestions.hint(for: series, in: FlowSeries.Name.all)); "
                                   + "known: \(FlowSeries.Name.all.joined(separator: ", "))")
        }
        let measureNode = try g.required("measure")
        let measure = try measureNode.choice(of: SeriesStatistics.Measure.self)
        guard g.has("at-least") || g.has("at-most") else { throw node.error("statistic needs at-least and/or at-most") }
        func bound(_ n: YAMLNode) throws(ScenarioError) -> Double { measure == .variance ? try n.double() : try quantity(n, series: series) }
        let low = try g.optional("at-least").map(bound) ?? -.infinity
        let high = try g.optional("at-most").map(bound) ?? .infinity
        guard low <= high else { throw node.error("statistic needs at-least ≤ at-most") }
        return .statistic(series: series, measure: measure, window: try TimeWindow(g), range: low...high)
    }

    /// A duration that is a positive whole number of 200 ms intervals (`FlowSeries.rateInterval`).
    private static func intervals(_ node: YAMLNode, key: String) throws(ScenarioError) -> Duration {
        let value = try node.duration()
        let step = FlowSeries.rateInterval.nanoseconds
        guard value.nanoseconds > 0, value.nanoseconds % step == 0 else {
            throw node.error("\(key) must be a positive multiple of 200 ms (the rate interval), found \(value)")
        }
        return value
    }
}
