import Results

/// Section 10: comparison with a baseline database of the same scenario — success rate,
/// median and p95 connect time and relay share per sweep point (and over all runs), side
/// by side with deltas; regressions are highlighted (`GroupComparison` has the rules).
enum ComparisonSection {
    static func build(_ data: SweepData, baseline: SweepData, layout: SweepLayout) -> RenderedSection {
        func groups(_ sweep: SweepData) -> [(key: String, sessions: [StoredSession])] {
            [("all runs", sweep.sessions)] + (layout.varying.isEmpty ? [] : sweep.sessionGroups { run, _ in layout.point(of: run) })
        }
        let baselineGroups = Dictionary(groups(baseline).map { ($0.key, GroupMetrics($0.sessions)) }, uniquingKeysWith: { a, _ in a })
        let comparisons = groups(data).compactMap { group in
            baselineGroups[group.key].map { GroupComparison(group: group.key, baseline: $0, candidate: GroupMetrics(group.sessions)) }
        }
        let regressions = comparisons.count(where: \.regressed)
        var content: [HTMLNode] = [
            ReportBlocks.paragraph("Baseline: \(baseline.sweep.scenarioName), icelab \(baseline.sweep.icelabVersion), "
                + "\(baseline.runs.count) runs, started \(baseline.sweep.startedAt)."),
            .element("p", ["class": regressions == 0 ? "verdict pass" : "verdict fail"],
                     text: regressions == 0 ? "No regressions against the baseline." : "\(regressions) group(s) regressed against the baseline."),
        ]
        if baseline.sweep.scenarioName != data.sweep.scenarioName {
            content.append(ReportBlocks.paragraph("The baseline is of scenario \(baseline.sweep.scenarioName), not \(data.sweep.scenarioName).",
                                                  className: "bad"))
        }
        let rows = comparisons.map { c -> [ReportBlocks.Cell] in
            func verdictCell(_ text: String, _ verdict: GroupComparison.Verdict) -> ReportBlocks.Cell {
                ReportBlocks.Cell(text, className: verdict == .unchanged ? nil : verdict.rawValue)
            }
            return [ReportBlocks.Cell(c.group),
                    ReportBlocks.Cell(ReportFormat.percent(c.baseline.successRate)), ReportBlocks.Cell(ReportFormat.percent(c.candidate.successRate)),
                    verdictCell(ReportFormat.delta(c.successDelta.map { $0 * 100 }, unit: "pp", decimals: 1), c.successVerdict),
                    ReportBlocks.Cell(ReportFormat.milliseconds(c.baseline.medianConnect)), ReportBlocks.Cell(ReportFormat.milliseconds(c.candidate.medianConnect)),
                    verdictCell(ReportFormat.delta(c.medianDelta, unit: "ms", decimals: 0), c.medianVerdict),
                    ReportBlocks.Cell(ReportFormat.milliseconds(c.baseline.p95Connect)), ReportBlocks.Cell(ReportFormat.milliseconds(c.candidate.p95Connect)),
                    verdictCell(ReportFormat.delta(c.p95Delta, unit: "ms", decimals: 0), c.p95Verdict),
                    ReportBlocks.Cell(ReportFormat.percent(c.baseline.relayShare)), ReportBlocks.Cell(ReportFormat.percent(c.candidate.relayShare)),
                    verdictCell(ReportFormat.delta(c.relayShareDelta.map { $0 * 100 }, unit: "pp", decimals: 1), c.relayShareVerdict)]
        }
        content.append(ReportBlocks.table(["group", "success (base)", "success", "Δ", "median (base)", "median", "Δ", "p95 (base)", "p95", "Δ",
                                           "relayed (base)", "relayed", "Δ"], rows, numeric: Set(1...12)))
        return RenderedSection(id: "comparison", title: "Comparison with baseline",
                               content: ReportBlocks.section(id: "comparison", title: "Comparison with baseline", content))
    }
}
