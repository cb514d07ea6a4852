import Results

/// Section 5: selected candidate pair types — stacked bars of the selected pair's local
/// and remote candidate types and transport (`srflx→prflx/udp`) over connected sessions,
/// for all sessions and per value of the row (or column) parameter. The most frequent
/// types get their own colour; the rest are `other`.
enum PairTypeSection {
    /// Pair types beyond this many share one `other` segment (the palette has seven colours).
    static let maximumSegments = 6

    static func build(_ data: SweepData, layout: SweepLayout) -> RenderedSection? {
        let all = data.sessionGroups { _, session in PairType.label(of: session) == nil ? nil : "all sessions" }
        guard !all.isEmpty else { return nil }
        var groups = all
        if let parameter = layout.rowParameter ?? layout.columnParameter {
            groups += data.sessionGroups { run, session in PairType.label(of: session) == nil ? nil : run.value(of: parameter).map(ValueLabel.short) }
        }
        let totals = PairType.counts(in: all[0].sessions)
        let ranked = totals.map(\.label)
        let named = Array(ranked.prefix(ranked.count > maximumSegments + 1 ? maximumSegments : ranked.count))
        let segments = named + (named.count < ranked.count ? ["other"] : [])
        let counts = groups.map { group in
            var row = Array(repeating: 0, count: segments.count)
            for session in group.sessions {
                guard let label = PairType.label(of: session) else { continue }
                row[named.firstIndex(of: label) ?? segments.count - 1] += 1
            }
            return row
        }
        let parameter = layout.rowParameter ?? layout.columnParameter
        let chart = StackedBarChart(title: "Selected candidate pair types", xTitle: "share of connected sessions (%)",
                                    categories: groups.map(\.key), segments: segments, counts: counts)
        let rows = totals.map { total in [ReportBlocks.Cell(total.label), ReportBlocks.Cell("\(total.count)"),
                                          ReportBlocks.Cell(ReportFormat.percent(Double(total.count) / Double(all[0].sessions.count)))] }
        var caption = "Selected pair (local→remote/transport) of connected sessions" + (parameter.map { ", by \($0)" } ?? "")
        if named.count < ranked.count {
            caption += "; the \(ranked.count - named.count) least frequent of \(ranked.count) pair types are drawn as other, the table lists every one"
        }
        return RenderedSection(id: "pair-types", title: "Candidate pair types",
                               content: ReportBlocks.section(id: "pair-types", title: "Candidate pair types", [
                                   ReportBlocks.figure(chart.render(), caption: caption),
                               ] + ReportBlocks.abbreviations(parameter.flatMap { layout.values[$0] } ?? []) + [
                                   ReportBlocks.table(["selected pair", "sessions", "share"], rows, numeric: [1, 2]),
                               ]))
    }
}
