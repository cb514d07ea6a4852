import Records
import Results

/// Video quality of flows with loss recovery (`recovery`/`jitter-buffer` on a media
/// entry; docs/congestion.md "Loss recovery and frame playout"): per sweep point and
/// flow, the means over runs of each run's totals — residual loss, NACKs, retransmitted
/// packets, packets FlexFEC rebuilt (flows without FEC show none), PLIs, frames rendered
/// and dropped, freezes and their duration, time to first frame — and of each run's 95th
/// percentile (interpolated) of capture-to-render delay.
enum VideoQualitySection {
    typealias Name = FlowSeries.Name

    /// The totals (a cumulative series' last sample) shown, with their column titles.
    static let totals: [(name: String, title: String)] = [
        (Name.nackCount, "NACKs"), (Name.rtxPackets, "RTX packets"), (Name.fecRecovered, "FEC recovered"), (Name.pliCount, "PLIs"), (Name.framesRendered, "frames rendered"),
        (Name.framesDropped, "frames dropped"), (Name.freezeCount, "freezes"),
    ]

    static func build(_ data: SweepData, layout: SweepLayout, store: ResultStore) throws -> RenderedSection? {
        let runIDs = Set(try store.seriesAggregates(sweepID: data.sweep.id, names: [Name.framesRendered]).map(\.runID))
        guard !runIDs.isEmpty else { return nil }
        var order: [String] = []
        var values: [String: [String: [Double]]] = [:]
        for run in data.runs where runIDs.contains(run.id) {
            let point = layout.varying.isEmpty ? "all runs" : layout.point(of: run)
            var last: [String: [String: Double]] = [:]
            var delays: [String: [Double]] = [:]
            for sample in try store.samples(runID: run.id, names: Name.recovery + [Name.fecRecovered]) {
                guard let flow = sample.session else { continue }
                if sample.name == Name.frameDelay { delays[flow, default: []].append(sample.value) } else { last[flow, default: [:]][sample.name] = sample.value }
            }
            for (flow, finals) in last.sorted(by: { $0.key < $1.key }) {
                let key = "\(point)\t\(flow)"
                if values[key] == nil { order.append(key) }
                for (name, value) in finals { values[key, default: [:]][name, default: []].append(value) }
                if let p95 = Percentiles.quantile((delays[flow] ?? []).sorted(), 0.95) { values[key, default: [:]][Name.frameDelay, default: []].append(p95) }
                values[key, default: [:]]["runs", default: []].append(1)
            }
        }
        func mean(_ list: [Double]?) -> Double? {
            guard let list, !list.isEmpty else { return nil }
            return list.reduce(0, +) / Double(list.count)
        }
        func count(_ value: Double?) -> String { value.map { TickLabel.fixed($0, decimals: 1) } ?? ReportFormat.none }
        let rows = order.map { key -> [ReportBlocks.Cell] in
            let parts = key.split(separator: "\t", maxSplits: 1).map(String.init)
            let m = values[key] ?? [:]
            return [ReportBlocks.Cell(parts[0]), ReportBlocks.Cell(parts[1]), ReportBlocks.Cell("\(m["runs"]?.count ?? 0)"),
                    ReportBlocks.Cell(ReportFormat.percent(mean(m[Name.residualLoss])))]
                + totals.map { ReportBlocks.Cell(count(mean(m[$0.name]))) }
                + [ReportBlocks.Cell(ReportFormat.milliseconds(mean(m[Name.freezeTotal]))),
                   ReportBlocks.Cell(ReportFormat.milliseconds(mean(m[Name.timeToFirstFrame]))),
                   ReportBlocks.Cell(ReportFormat.milliseconds(mean(m[Name.frameDelay])))]
        }
        let headers = ["sweep point", "flow", "runs", "residual loss"] + totals.map(\.title)
            + ["freeze time", "time to first frame", "frame delay p95"]
        let note = HTMLNode.element("p", text: "Means over runs of each run's totals. Residual loss: video packets never received, "
                                    + "neither first nor retransmitted, over packets expected. Freezes as W3C webrtc-stats counts them.")
        let table = ReportBlocks.table(headers, rows, numeric: Set(2..<headers.count))
        return RenderedSection(id: "video-quality", title: "Video quality",
                               content: ReportBlocks.section(id: "video-quality", title: "Video quality", [note, table]))
    }
}
