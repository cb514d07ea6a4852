import Records
import Results

/// Data channels, when sessions had some (`data_channels`, `DataChannelSeries`): a table
/// per run and channel (workload, when it opened, bytes delivered, completion, goodput,
/// message latency, messages delivered and abandoned, SCTP retransmissions), and for a
/// few runs charts over time of each channel's goodput, buffered amount and congestion
/// window.
enum DataChannelSection {
    /// Table rows at most (runs × channels).
    static let maximumRows = 200

    static func build(_ data: SweepData, timelines: TimelineSelection, store: ResultStore) throws -> RenderedSection? {
        let channels = try store.dataChannels(sweepID: data.sweep.id)
        guard !channels.isEmpty else { return nil }
        return try SubjectCharts.section(id: "data-channels", title: "Data channels", table: summary(channels, data: data),
                                         runIDs: Set(channels.map(\.runID)), what: "data channels", data: data, timelines: timelines) { run in
            SubjectCharts.render(run, samples: try store.samples(runID: run.id, names: DataChannelSeries.all), plots: [
                (DataChannelSeries.goodput, 1e-6, "goodput", "goodput (Mbit/s)"),
                (DataChannelSeries.bufferedAmount, 1e-3, "buffered amount", "buffered (kB)"),
                (DataChannelSeries.congestionWindow, 1e-3, "SCTP congestion window", "cwnd (kB)"),
            ])
        }
    }

    /// One row per run and channel; times from the session's start.
    static func summary(_ channels: [StoredDataChannel], data: SweepData) -> HTMLNode {
        let rows = channels.prefix(maximumRows).map { c -> [ReportBlocks.Cell] in
            let run = data.runsByID[c.runID].map { "#\($0.runIndex)" } ?? "?"
            let delivered = c.messagesSent > 0 ? Double(c.messagesDelivered) / Double(c.messagesSent) : nil
            return [ReportBlocks.Cell(run), ReportBlocks.Cell("\(c.session)/\(c.label)"),
                    ReportBlocks.Cell("\(c.kind), \(c.ordered ? "ordered" : "unordered"), \(c.reliability)"),
                    ReportBlocks.Cell(ReportFormat.milliseconds(c.openMilliseconds)),
                    ReportBlocks.Cell(TickLabel.fixed(Double(c.bytesDelivered) / 1e6, decimals: 2) + " MB"),
                    ReportBlocks.Cell(ReportFormat.milliseconds(c.completedMilliseconds)),
                    ReportBlocks.Cell(ReportFormat.bitrate(c.goodput)),
                    ReportBlocks.Cell(ReportFormat.milliseconds(c.latencyP50)),
                    ReportBlocks.Cell(ReportFormat.milliseconds(c.latencyP95)),
                    ReportBlocks.Cell(ReportFormat.percent(delivered)),
                    ReportBlocks.Cell("\(c.messagesAbandoned)"), ReportBlocks.Cell("\(c.retransmissions)")]
        }
        var nodes = [ReportBlocks.table(["run", "channel", "workload", "open", "delivered", "complete", "goodput", "median latency",
                                         "p95 latency", "messages delivered", "abandoned", "SCTP retransmissions"],
                                        Array(rows), numeric: Set(3...11))]
        if channels.count > maximumRows {
            nodes.append(ReportBlocks.paragraph("The first \(maximumRows) of \(channels.count) run × channel rows."))
        }
        return .element("div", [:], nodes)
    }
}
