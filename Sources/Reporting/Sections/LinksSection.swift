import Records
import Results

/// The scenario's links, when runs recorded some (`links`): per link direction over all
/// runs, packets carried, drops by reason, CE marks (ECN instead of drops, RFC 3168) and
/// the queueing delay, so that a queue discipline's effect shows beside the media and TCP
/// sections.
enum LinksSection {
    static func build(_ data: SweepData, store: ResultStore) throws -> RenderedSection? {
        let links = try store.links(sweepID: data.sweep.id)
        guard !links.isEmpty else { return nil }
        var groups: [String: [StoredLink]] = [:]
        var order: [String] = []
        for link in links {
            let key = link.link + " " + link.direction
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(link)
        }
        let rows = order.map { key -> [ReportBlocks.Cell] in
            let g = groups[key]!
            func total(_ value: (StoredLink) -> Int) -> String { "\(g.reduce(0) { $0 + value($1) })" }
            let p50 = g.compactMap(\.queueDelayP50), p95 = g.compactMap(\.queueDelayP95)
            let aqm = Set(g.map(\.aqm)).sorted().joined(separator: ", ")
            return [ReportBlocks.Cell(g[0].link), ReportBlocks.Cell(g[0].direction), ReportBlocks.Cell(aqm), ReportBlocks.Cell("\(g.count)"),
                    ReportBlocks.Cell(total(\.sentPackets)), ReportBlocks.Cell(total(\.deliveredPackets)), ReportBlocks.Cell(total(\.droppedLoss)),
                    ReportBlocks.Cell(total(\.droppedQueue)), ReportBlocks.Cell(total(\.droppedAQM)), ReportBlocks.Cell(total(\.droppedOther)),
                    ReportBlocks.Cell(total(\.ceMarked)), ReportBlocks.Cell(ReportFormat.milliseconds(mean(p50))),
                    ReportBlocks.Cell(ReportFormat.milliseconds(mean(p95)))]
        }
        let table = ReportBlocks.table(["link", "direction", "aqm", "runs", "sent", "delivered", "lost", "queue drops", "aqm drops",
                                        "other drops", "CE marked", "median queue delay", "p95 queue delay"], rows, numeric: Set(3...12))
        let note = ReportBlocks.paragraph("Packets summed over runs; queue delays are the mean over runs of each run's median and "
            + "95th percentile (the time a packet waited for the serializer). CE marked: packets an AQM with ecn on marked "
            + "instead of dropping (docs/simulator.md).")
        return RenderedSection(id: "links", title: "Links", content: .element("div", [:], [note, table]))
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
