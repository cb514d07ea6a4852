import Results

/// Section 3: connect time — CDFs of the time from session start to `connected`, by
/// path (direct or relayed) and by each swept parameter, with median and 95th
/// percentile per group in a table. The time axis is logarithmic when times span more
/// than a factor of 20.
enum ConnectTimeSection {
    /// At most this many curves per chart (more are unreadable; the table has them all).
    static let maximumCurves = 8

    static func build(_ data: SweepData, layout: SweepLayout) -> RenderedSection? {
        guard data.sessions.contains(where: { $0.connected && $0.connectMilliseconds != nil }) else { return nil }
        var charts: [HTMLNode] = []
        var rows: [[ReportBlocks.Cell]] = []
        let byPath = data.sessionGroups { _, session in session.connected ? (session.relayUsed ? "relayed" : "direct") : nil }
        add(byPath, title: "Connect time by path", grouping: "path", charts: &charts, rows: &rows)
        for parameter in layout.varying {
            let groups = data.sessionGroups { run, _ in run.value(of: parameter) }
            add(groups, title: "Connect time by \(parameter)", grouping: parameter, charts: &charts, rows: &rows)
        }
        let table = ReportBlocks.table(["grouping", "group", "sessions", "connected", "median", "p95", "max"], rows, numeric: [2, 3, 4, 5, 6])
        return RenderedSection(id: "connect-time", title: "Connect time",
                               content: ReportBlocks.section(id: "connect-time", title: "Connect time", charts + [table]))
    }

    static func add(_ groups: [(key: String, sessions: [StoredSession])], title: String, grouping: String,
                    charts: inout [HTMLNode], rows: inout [[ReportBlocks.Cell]]) {
        let metrics = groups.map { ($0.key, GroupMetrics($0.sessions)) }
        for (name, m) in metrics {
            rows.append([ReportBlocks.Cell(grouping), ReportBlocks.Cell(name), ReportBlocks.Cell("\(m.sessions)"),
                         ReportBlocks.Cell("\(m.connected)"), ReportBlocks.Cell(ReportFormat.milliseconds(m.medianConnect)),
                         ReportBlocks.Cell(ReportFormat.milliseconds(m.p95Connect)),
                         ReportBlocks.Cell(ReportFormat.milliseconds(m.connectTimes.last))])
        }
        let curves = metrics.filter { !$0.1.connectTimes.isEmpty }.prefix(maximumCurves)
        guard !curves.isEmpty else { return }
        let all = curves.flatMap(\.1.connectTimes)
        var chart = LineChart(title: title, xTitle: "connect time (ms)", yTitle: "share of connected sessions",
                              series: curves.map { LineChart.Series(label: $0.0, points: Percentiles.cdf($0.1.connectTimes)) })
        chart.stepped = true
        chart.yRange = 0...1
        chart.logarithmicX = (all.max() ?? 1) / max(all.min() ?? 1, 1) > 20
        charts.append(ReportBlocks.figure(chart.render(), caption: title + " (empirical CDF)"))
    }
}
