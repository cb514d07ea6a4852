import Results

/// Section 3: connect time — CDFs of the time from session start until both agents were
/// connected (`connected_ms`: a usable pair, what a browser reports as "connected"), by
/// path (`SessionPath`, direct ones first) and by each swept parameter, with median and 95th
/// percentile per group in a table, and the median time to nomination (`nominated_ms`). The time axis is logarithmic when times span more
/// than a factor of 20. A grouping with few groups is one chart with a curve each; with
/// more, each group gets its own small chart over the grouping's pooled CDF, so every
/// group is drawn at a readable size.
enum ConnectTimeSection {
    /// Up to this many groups share one chart (more curves cannot be told apart).
    static let maximumCurves = 8
    /// At most this many small charts per grouping (the groups with most sessions); a
    /// note under the charts names how many are left out, and the table has them all.
    static let maximumPanels = 48
    /// The pooled CDF every small chart draws behind its group.
    static let referenceColor = "#8C8C8C"

    static func build(_ data: SweepData, layout: SweepLayout) -> RenderedSection? {
        guard data.sessions.contains(where: { $0.connected && $0.connectedMilliseconds != nil }) else { return nil }
        var content: [HTMLNode] = [ReportBlocks.paragraph(
            "Connect time is connected_ms: from the session's start until both agents had a usable (valid) pair, when a browser "
                + "reports iceConnectionState \"connected\" and media starts. The table also gives the median of nominated_ms, "
                + "until both agents' selected pairs were nominated (RFC 8445 §8.1.1).")]
        var rows: [[ReportBlocks.Cell]] = []
        add(data.sessionGroupsByPath(), title: "Connect time by path", grouping: "path", content: &content, rows: &rows)
        for parameter in layout.varying {
            let groups = data.sessionGroups { run, _ in run.value(of: parameter) }
            add(groups, title: "Connect time by \(parameter)", grouping: parameter, content: &content, rows: &rows)
        }
        content += ReportBlocks.abbreviations(layout.varying.flatMap { layout.values[$0, default: []] })
        let table = ReportBlocks.table(["grouping", "group", "sessions", "connected", "median", "p95", "max", "median nominated"], rows,
                                       numeric: [2, 3, 4, 5, 6, 7])
        return RenderedSection(id: "connect-time", title: "Connect time",
                               content: ReportBlocks.section(id: "connect-time", title: "Connect time", content + [table]))
    }

    static func add(_ groups: [(key: String, sessions: [StoredSession])], title: String, grouping: String,
                    content: inout [HTMLNode], rows: inout [[ReportBlocks.Cell]]) {
        let metrics = groups.map { (name: $0.key, metrics: GroupMetrics($0.sessions)) }
        for (name, m) in metrics {
            rows.append([ReportBlocks.Cell(grouping), ReportBlocks.Cell(name), ReportBlocks.Cell("\(m.sessions)"),
                         ReportBlocks.Cell("\(m.connected)"), ReportBlocks.Cell(ReportFormat.milliseconds(m.medianConnect)),
                         ReportBlocks.Cell(ReportFormat.milliseconds(m.p95Connect)),
                         ReportBlocks.Cell(ReportFormat.milliseconds(m.connectTimes.last)),
                         ReportBlocks.Cell(ReportFormat.milliseconds(m.medianNominated))])
        }
        let all = metrics.flatMap(\.metrics.connectTimes).sorted()
        guard !all.isEmpty else { return }
        let logarithmic = (all.last ?? 1) / max(all.first ?? 1, 1) > 20
        if metrics.count <= maximumCurves {
            let drawn = metrics.filter { !$0.metrics.connectTimes.isEmpty }
            var chart = LineChart(title: title, xTitle: "connect time (ms)", yTitle: "share of connected sessions",
                                  series: drawn.map { LineChart.Series(label: ValueLabel.short($0.name), points: Percentiles.cdf($0.metrics.connectTimes)) })
            chart.stepped = true
            chart.yRange = 0...1
            chart.logarithmicX = logarithmic
            let unconnected = metrics.filter { $0.metrics.connectTimes.isEmpty }.map { ValueLabel.short($0.name) }
            let note = unconnected.isEmpty ? "" : "; no curve for \(unconnected.joined(separator: ", ")) (no session connected)"
            content.append(ReportBlocks.figure(chart.render(), caption: title + " (empirical CDF)" + note))
            return
        }
        // The groups with most sessions (ties: sweep order), drawn in sweep order.
        let ranked = metrics.indices.sorted { metrics[$0].metrics.sessions == metrics[$1].metrics.sessions ? $0 < $1
            : metrics[$0].metrics.sessions > metrics[$1].metrics.sessions }
        let shown = ranked.prefix(maximumPanels).sorted()
        let reference = LineChart.Series(label: "all \(grouping) groups", points: Percentiles.cdf(all), color: referenceColor)
        var multiples = SmallMultiples(title: title, xTitle: "connect time (ms)", yTitle: "share", panels: shown.map { index in
            let (name, m) = metrics[index]
            let own = m.connectTimes.isEmpty ? [] : [LineChart.Series(label: ValueLabel.short(name), points: Percentiles.cdf(m.connectTimes),
                                                                          color: ChartPalette.color(0))]
            return SmallMultiples.Panel(heading: "\(ValueLabel.short(name)) (\(m.connected) of \(m.sessions))", series: [reference] + own)
        })
        multiples.stepped = true
        multiples.yRange = 0...1
        multiples.logarithmicX = logarithmic
        var caption = title + ": one empirical CDF per group (blue) over all groups pooled (grey); each heading gives the group's connected and all sessions"
        if shown.count < metrics.count {
            caption += ". Showing \(shown.count) of \(metrics.count) groups: the \(shown.count) with most sessions; all are in the table below"
        }
        content.append(ReportBlocks.figure(multiples.render(), caption: caption + "."))
    }
}
