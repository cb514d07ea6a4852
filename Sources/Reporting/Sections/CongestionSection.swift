import Results
import Records

/// Section 7: congestion control, when runs recorded media series (`MediaSeries`): a
/// summary table per sweep point (means over runs of each run's mean, link utilisation
/// as acked over capacity, loss as packets lost over packets expected in all its runs),
/// and for a few runs the target, sent, acked and received bitrate against link capacity,
/// the RTT, each flow's received rate over the first flow's, the one-way queuing delay
/// (over time and as a CDF per flow) and the loss per 100 ms interval.
enum CongestionSection {
    /// Runs drawn over time (timeline runs first); the table covers every run.
    static let maximumRunCharts = 4
    /// Samples per drawn line (longer series are thinned evenly).
    static let maximumPoints = 600

    static func build(_ data: SweepData, layout: SweepLayout, timelines: TimelineSelection, store: ResultStore) throws -> RenderedSection? {
        let aggregates = try store.seriesAggregates(sweepID: data.sweep.id, names: MediaSeries.all)
        guard !aggregates.isEmpty else { return nil }
        var content = [summary(aggregates, data: data, layout: layout)]
        let charted = ChartedRuns(withData: Set(aggregates.map(\.runID)), data: data, timelines: timelines,
                                  limit: maximumRunCharts, what: "media series")
        content += charted.note.map { [$0] } ?? []
        for run in charted.runs { content.append(try charts(of: run, store: store)) }
        return RenderedSection(id: "congestion", title: "Congestion control",
                               content: ReportBlocks.section(id: "congestion", title: "Congestion control", content))
    }

    static func summary(_ aggregates: [StoredSeriesAggregate], data: SweepData, layout: SweepLayout) -> HTMLNode {
        var order: [String] = []
        var means: [String: [String: [Double]]] = [:]
        var maxima: [String: [Double]] = [:]
        var sums: [String: [String: Double]] = [:]
        for aggregate in aggregates {
            guard let run = data.runsByID[aggregate.runID] else { continue }
            let point = layout.varying.isEmpty ? "all runs" : layout.point(of: run)
            if means[point] == nil { order.append(point) }
            means[point, default: [:]][aggregate.name, default: []].append(aggregate.mean)
            sums[point, default: [:]][aggregate.name, default: 0] += aggregate.sum
            if aggregate.name == MediaSeries.queueDelay { maxima[point, default: []].append(aggregate.maximum) }
        }
        func mean(_ values: [Double]?) -> Double? {
            guard let values, !values.isEmpty else { return nil }
            return values.reduce(0, +) / Double(values.count)
        }
        let rows = order.map { point -> [ReportBlocks.Cell] in
            let m = means[point] ?? [:]
            let utilisation = mean(m[MediaSeries.acked]).flatMap { acked in mean(m[MediaSeries.capacity]).map { acked / $0 } }
            let loss = FlowSeries.loss(lost: sums[point]?[MediaSeries.packetsLost] ?? 0, expected: sums[point]?[MediaSeries.packetsExpected] ?? 0)
            return [ReportBlocks.Cell(point), ReportBlocks.Cell("\(m.values.map(\.count).max() ?? 0)"),
                    ReportBlocks.Cell(ReportFormat.bitrate(mean(m[MediaSeries.target]))), ReportBlocks.Cell(ReportFormat.bitrate(mean(m[MediaSeries.sent]))),
                    ReportBlocks.Cell(ReportFormat.bitrate(mean(m[MediaSeries.acked]))), ReportBlocks.Cell(ReportFormat.bitrate(mean(m[MediaSeries.capacity]))),
                    ReportBlocks.Cell(ReportFormat.percent(utilisation)), ReportBlocks.Cell(ReportFormat.milliseconds(mean(m[MediaSeries.queueDelay]))),
                    ReportBlocks.Cell(ReportFormat.milliseconds(maxima[point]?.max())), ReportBlocks.Cell(ReportFormat.percent(loss))]
        }
        return ReportBlocks.table(["sweep point", "runs", "target", "sent", "acked", "capacity", "utilisation", "mean queue delay",
                                   "max queue delay", "loss"], rows, numeric: Set(1...9))
    }

    /// Which bytes the rates count (docs/scenarios.md, "Media").
    static let bytesCounted = "sent, acked and received: RTP packets (header and payload, no SRTP tag, UDP or IP header) over 500 ms; "
        + "capacity: the link's IP packets"

    /// Which bytes the 200 ms rates count (RFC 8868 §3 item 1; docs/rmcat.md).
    static let intervalBytesCounted = "RFC 8868 §3: sent and received: the flow's RTP and RTCP packets, header and payload, no SRTP tag, UDP "
        + "or IP header; goodput: media payload bytes arriving for the first time, no retransmitted copy, padding or duplicate"

    static func charts(of run: StoredRunSummary, store: ResultStore) throws -> HTMLNode {
        let samples = try store.samples(runID: run.id, names: MediaSeries.all + FlowSeries.Name.intervalRates)
        func lines(_ names: [String], scale: Double) -> [LineChart.Series] {
            SeriesLines.lines(samples, names: names, scale: scale, maximumPoints: maximumPoints)
        }
        let title = "Run #\(run.runIndex) (\(ReportFormat.parameters(run.parameters.map { ($0.name, $0.value) })), seed \(run.seed))"
        var figures: [HTMLNode] = [.element("h3", text: title)]
        let plots: [(series: [LineChart.Series], what: String, xTitle: String, yTitle: String)] = [
            (lines(MediaSeries.bitrates, scale: 1e-6), "bitrate against link capacity (\(bytesCounted))", "time (s)", "bitrate (Mbit/s)"),
            (lines(MediaSeries.intervalRates, scale: 1e-6), "exact rates per 200 ms interval (\(intervalBytesCounted))", "time (s)",
             "bitrate (Mbit/s)"),
            (lines([MediaSeries.roundTripTime], scale: 1), "round-trip time (RTCP receiver reports)", "time (s)", "RTT (ms)"),
            (FlowComparisonCharts.ratioLines(samples, maximumPoints: maximumPoints), "received rate of each flow over the first flow's",
             "time (s)", "throughput ratio"),
            (lines([MediaSeries.queueDelay], scale: 1), "one-way queuing delay", "time (s)", "queuing delay (ms)"),
            (FlowComparisonCharts.delayCDFs(samples), "queuing delay per flow (empirical CDF of the 100 ms means)", "queuing delay (ms)",
             "share of samples"),
            (lines([MediaSeries.lossIntervalFraction], scale: 100), "loss per 100 ms interval", "time (s)", "loss (%)"),
        ]
        for plot in plots where !plot.series.isEmpty {
            let chart = LineChart(title: "\(title): \(plot.what)", xTitle: plot.xTitle, yTitle: plot.yTitle, series: plot.series)
            figures.append(ReportBlocks.figure(chart.render(), caption: "Run #\(run.runIndex): \(plot.what)"))
        }
        return .element("div", ["class": "run-charts"], figures)
    }
}
