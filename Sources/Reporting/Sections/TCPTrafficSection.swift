import Records
import Results

/// TCP cross traffic, when runs recorded some (`tcp_flows`, `TCPSeries`): a table per run
/// and flow (connections, bytes delivered, goodput, retransmissions and, for web flows,
/// completion times), and for a few runs charts over time of each flow's goodput,
/// congestion window, smoothed RTT, transfers under way and retransmissions.
enum TCPTrafficSection {
    /// Table rows at most (runs × flows).
    static let maximumRows = 200

    static func build(_ data: SweepData, timelines: TimelineSelection, store: ResultStore) throws -> RenderedSection? {
        let connections = try store.tcpFlows(sweepID: data.sweep.id)
        guard !connections.isEmpty else { return nil }
        return try SubjectCharts.section(id: "tcp-traffic", title: "TCP cross traffic", table: summary(connections, data: data),
                                         runIDs: Set(connections.map(\.runID)), what: "TCP traffic", data: data, timelines: timelines) { run in
            try charts(of: run, store: store)
        }
    }

    /// One row per run and flow. Goodput is bytes delivered over the time from the first
    /// connection's start to the last one's end; completion times are from a transfer's
    /// connect to its receiver reading the last byte and the FIN.
    static func summary(_ connections: [StoredTCPFlow], data: SweepData) -> HTMLNode {
        var groups: [(run: Int64, flow: String, connections: [StoredTCPFlow])] = []
        for connection in connections {
            if let last = groups.last, last.run == connection.runID, last.flow == connection.flow {
                groups[groups.count - 1].connections.append(connection)
            } else {
                groups.append((connection.runID, connection.flow, [connection]))
            }
        }
        let rows = groups.prefix(maximumRows).map { group -> [ReportBlocks.Cell] in
            let c = group.connections
            let delivered = c.reduce(Int64(0)) { $0 + $1.deliveredBytes }
            let span = ((c.map(\.endMilliseconds).max() ?? 0) - (c.map(\.startMilliseconds).min() ?? 0)) / 1000
            let completions = c.compactMap { t in t.completedMilliseconds.map { $0 - t.startMilliseconds } }.sorted()
            let run = data.runsByID[group.run].map { "#\($0.runIndex)" } ?? "?"
            return [ReportBlocks.Cell(run), ReportBlocks.Cell(group.flow), ReportBlocks.Cell("\(c[0].kind) (\(c[0].congestionControl))"),
                    ReportBlocks.Cell("\(c.count)"), ReportBlocks.Cell("\(completions.count)"),
                    ReportBlocks.Cell(TickLabel.fixed(Double(delivered) / 1e6, decimals: 2) + " MB"),
                    ReportBlocks.Cell(ReportFormat.bitrate(span > 0 ? Double(delivered) * 8 / span : nil)),
                    ReportBlocks.Cell("\(c.reduce(0) { $0 + $1.retransmissions })"),
                    ReportBlocks.Cell(ReportFormat.milliseconds(Percentiles.quantile(completions, 0.5))),
                    ReportBlocks.Cell(ReportFormat.milliseconds(Percentiles.quantile(completions, 0.95)))]
        }
        var nodes = [ReportBlocks.table(["run", "flow", "kind", "connections", "complete", "delivered", "goodput", "retransmissions",
                                         "median completion", "p95 completion"], Array(rows), numeric: Set(3...9))]
        if groups.count > maximumRows {
            nodes.append(ReportBlocks.paragraph("The first \(maximumRows) of \(groups.count) run × flow rows."))
        }
        return .element("div", [:], nodes)
    }

    static func charts(of run: StoredRunSummary, store: ResultStore) throws -> HTMLNode {
        SubjectCharts.render(run, samples: try store.samples(runID: run.id, names: TCPSeries.all), plots: [
            (TCPSeries.goodput, 1e-6, "goodput", "goodput (Mbit/s)"),
            (TCPSeries.congestionWindow, 1e-3, "congestion window", "cwnd (kB)"),
            (TCPSeries.smoothedRTT, 1, "smoothed RTT", "SRTT (ms)"),
            (TCPSeries.activeTransfers, 1, "transfers under way", "transfers"),
            (TCPSeries.retransmissions, 1, "retransmissions per 100 ms", "segments"),
        ])
    }
}
