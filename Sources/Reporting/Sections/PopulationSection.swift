import Foundation
import Results

/// The population estimate: when the scenario weights its swept values (`population:`),
/// what a user drawn from that population should expect of each session — connected and
/// relayed shares with 95 % confidence intervals over seeds, connect-time percentiles.
enum PopulationSection {
    static func build(_ data: SweepData) -> RenderedSection? {
        guard let population = data.sweep.population else { return nil }
        let estimates = PopulationEstimate.estimates(data, population: population)
        func share(_ s: PopulationEstimate.Share) -> String {
            let value = String(format: "%.1f %%", s.value * 100)
            guard let interval = s.interval else { return value }
            return value + String(format: " [%.1f, %.1f]", interval.lowerBound * 100, interval.upperBound * 100)
        }
        let rows = estimates.map { e -> [ReportBlocks.Cell] in
            [ReportBlocks.Cell(e.session), ReportBlocks.Cell(share(e.connected)), ReportBlocks.Cell(share(e.relayed)),
             ReportBlocks.Cell(ReportFormat.milliseconds(e.connectP50)), ReportBlocks.Cell(ReportFormat.milliseconds(e.connectP95)), ReportBlocks.Cell("\(e.weightedSessions)"),
             ReportBlocks.Cell("\(e.seeds)")]
        }
        let weighted = population.axes.map { axis in
            "\(axis.name): " + zip(axis.labels, axis.weights).map { "\($0) \(String(format: "%g", $1))" }.joined(separator: ", ")
        }
        let content: [HTMLNode] = [
            ReportBlocks.paragraph("Each run weighted by how common its swept values are"
                                   + (population.source.map { " (source: \($0))" } ?? "") + ": " + weighted.joined(separator: "; ")
                                   + ". Shares with 95 % confidence intervals over seeds (none with one seed)."),
            ReportBlocks.table(["session", "connected", "relayed", "connect p50", "connect p95", "sessions", "seeds"], rows,
                               numeric: [1, 2, 3, 4, 5, 6]),
        ]
        return RenderedSection(id: "population", title: "Population estimate",
                               content: ReportBlocks.section(id: "population", title: "Population estimate", content))
    }
}
