import Results

/// Section 6: failures — one row per failed expectation or run error, linking to the
/// run's timeline when it has one. Long lists are cut at `maximumRows` (the overview
/// has the totals; the database has every row).
enum FailuresSection {
    static let maximumRows = 500

    static func build(_ data: SweepData, timelines: TimelineSelection) -> RenderedSection? {
        let failedRuns = data.runs.filter { $0.outcome != "passed" }
        guard !failedRuns.isEmpty else { return nil }
        let failedExpectations = Dictionary(grouping: data.expectations.filter { !$0.passed }, by: \.runID)
        let withTimeline = Set(timelines.runs.map(\.id))
        var rows: [[ReportBlocks.Cell]] = []
        for run in failedRuns {
            let label = "#\(run.runIndex)"
            let runCell = withTimeline.contains(run.id)
                ? ReportBlocks.Cell(ReportBlocks.link(to: TimelineSelection.anchor(run.id), label)) : ReportBlocks.Cell(label)
            let parameters = ReportFormat.parameters(run.parameters.map { ($0.name, $0.value) })
            let problems = (failedExpectations[run.id] ?? []).map { ($0.expectation, $0.message) }
                + (run.error.map { [("run error", $0)] } ?? [])
            for (what, message) in problems.isEmpty ? [("run \(run.outcome)", "")] : problems {
                rows.append([runCell, ReportBlocks.Cell(parameters), ReportBlocks.Cell("\(run.seed)"),
                             ReportBlocks.Cell(run.outcome, className: "bad"), ReportBlocks.Cell(what), ReportBlocks.Cell(message)])
            }
        }
        var content: [HTMLNode] = [ReportBlocks.paragraph("\(failedRuns.count) of \(data.runs.count) runs failed.")]
        if rows.count > maximumRows {
            content.append(ReportBlocks.paragraph("Showing the first \(maximumRows) of \(rows.count) failures."))
            rows.removeSubrange(maximumRows...)
        }
        content.append(ReportBlocks.table(["run", "parameters", "seed", "outcome", "expectation", "message"], rows, numeric: [2]))
        return RenderedSection(id: "failures", title: "Failures", content: ReportBlocks.section(id: "failures", title: "Failures", content))
    }
}
