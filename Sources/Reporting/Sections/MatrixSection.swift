import Results

/// Section 2: the NAT traversal matrix — per panel (e.g. with and without TURN) a heat
/// map of session success rate by row and column parameter (`SweepLayout`); each cell
/// shows the rate, the count and the selected pair type of most connected sessions.
enum MatrixSection {
    static func build(_ data: SweepData, layout: SweepLayout) -> RenderedSection? {
        guard !data.sessions.isEmpty else { return nil }
        let rowValues = layout.rowParameter.flatMap { layout.values[$0] } ?? ["all runs"]
        let columnValues = layout.columnParameter.flatMap { layout.values[$0] } ?? ["all runs"]
        var content: [HTMLNode] = [ReportBlocks.paragraph(explanation(layout))]
        content += ReportBlocks.abbreviations(rowValues + columnValues)
        var groups: [[String]: [StoredSession]] = [:]
        for session in data.sessions {
            guard let run = data.runsByID[session.runID] else { continue }
            let key = [layout.panel(of: run), layout.rowParameter.flatMap { run.value(of: $0) } ?? "all runs",
                       layout.columnParameter.flatMap { run.value(of: $0) } ?? "all runs"]
            groups[key, default: []].append(session)
        }
        for panel in layout.panels(of: data.runs) {
            let cells = rowValues.map { row in
                columnValues.map { column in cell(groups[[panel, row, column]] ?? [], row: row, column: column) }
            }
            let title = panel.isEmpty ? "Session success rate" : "Session success rate, \(panel)"
            let map = HeatMap(title: title, rowTitle: layout.rowParameter ?? "", columnTitle: layout.columnParameter ?? "",
                              rowLabels: rowValues.map(ValueLabel.short), columnLabels: columnValues.map(ValueLabel.short),
                              cells: cells, scaleTitle: "success rate (%)")
            content.append(ReportBlocks.figure(map.render(), caption: title + ": connected share, connected/sessions, and the selected pair of more than half "
                                                 + "of the connected sessions (split: no pair type has a majority)"))
        }
        return RenderedSection(id: "matrix", title: "NAT traversal matrix",
                               content: ReportBlocks.section(id: "matrix", title: "NAT traversal matrix", content))
    }

    /// The heat-map cell of `sessions`: rate, `connected/sessions`, and the selected pair
    /// type of more than half of the connected sessions, or `split` when no type has a
    /// strict majority (the tooltip then gives the counts).
    static func cell(_ sessions: [StoredSession], row: String, column: String) -> HeatMap.Cell {
        let metrics = GroupMetrics(sessions)
        guard let rate = metrics.successRate else { return HeatMap.Cell(fraction: nil, lines: ["no runs"], tooltip: "\(row) × \(column): no runs") }
        let counts = PairType.counts(in: sessions)
        let pair: (cell: String, tooltip: String) = if counts.isEmpty {
            ("none connected", "none connected")
        } else if let dominant = PairType.dominant(in: sessions) {
            (dominant, "mostly \(dominant)")
        } else {
            ("split", "split: " + counts.map { "\($0.label) \($0.count)" }.joined(separator: ", "))
        }
        let lines = [ReportFormat.percent(rate), "\(metrics.connected)/\(metrics.sessions)", pair.cell]
        return HeatMap.Cell(fraction: rate, lines: lines,
                            tooltip: "\(row) × \(column): \(lines[0]) connected (\(lines[1])), relayed \(ReportFormat.percent(metrics.relayShare)), \(pair.tooltip)")
    }

    static func explanation(_ layout: SweepLayout) -> String {
        let axes = switch (layout.rowParameter, layout.columnParameter) {
        case let (row?, column?): "Rows: \(row); columns: \(column)."
        case let (nil, column?): "Columns: \(column) (the only swept parameter besides seeds)."
        default: "No parameter besides seeds was swept: one cell over all runs."
        }
        return axes + (layout.panelParameters.isEmpty ? "" : " One map per value of \(layout.panelParameters.joined(separator: ", ")).")
    }
}
