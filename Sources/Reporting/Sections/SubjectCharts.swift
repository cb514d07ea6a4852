import Records
import Results

/// Charts over time of one run's per-flow series (`series` rows whose `session` names a
/// TCP flow or a data channel): for each subject, one line chart per plot that has samples.
enum SubjectCharts {
    /// Runs drawn over time (timeline runs first); a section's table covers every run.
    static let maximumRunCharts = 4

    /// A section of a table over every run and, for up to `maximumRunCharts` of `runIDs`,
    /// the charts `charts` draws of one run.
    static func section(id: String, title: String, table: HTMLNode, runIDs: Set<Int64>, what: String, data: SweepData,
                        timelines: TimelineSelection, charts: (StoredRunSummary) throws -> HTMLNode) rethrows -> RenderedSection {
        var content = [table]
        let charted = ChartedRuns(withData: runIDs, data: data, timelines: timelines, limit: maximumRunCharts, what: what)
        content += charted.note.map { [$0] } ?? []
        for run in charted.runs { content.append(try charts(run)) }
        return RenderedSection(id: id, title: title, content: ReportBlocks.section(id: id, title: title, content))
    }

    /// A series drawn: its name, the factor applied to its values, what it shows, the y title.
    typealias Plot = (name: String, scale: Double, what: String, yTitle: String)

    static func render(_ run: StoredRunSummary, samples: [StoredSample], plots: [Plot]) -> HTMLNode {
        let title = "Run #\(run.runIndex) (\(ReportFormat.parameters(run.parameters.map { ($0.name, $0.value) })), seed \(run.seed))"
        var figures: [HTMLNode] = [.element("h3", text: title)]
        for subject in Set(samples.compactMap(\.session)).sorted() {
            let own = samples.filter { $0.session == subject }
            for plot in plots {
                let series = SeriesLines.lines(own, names: [plot.name], scale: plot.scale, maximumPoints: CongestionSection.maximumPoints)
                guard !series.isEmpty else { continue }
                let chart = LineChart(title: "\(title): \(subject) \(plot.what)", xTitle: "time (s)", yTitle: plot.yTitle, series: series)
                figures.append(ReportBlocks.figure(chart.render(), caption: "Run #\(run.runIndex), \(subject): \(plot.what)"))
            }
        }
        return .element("div", ["class": "run-charts"], figures)
    }
}
