/// Section 1: what was run and how it went — scenario, icelab version, date, runs,
/// seeds, run outcomes, expectations, wall time.
enum OverviewSection {
    static func build(_ data: SweepData) -> RenderedSection {
        let outcomes = Dictionary(grouping: data.runs, by: \.outcome).mapValues(\.count)
        let seeds = Set(data.runs.map(\.seed)).sorted()
        let seedText = seeds.isEmpty ? ReportFormat.none
            : seeds.count == 1 ? "\(seeds[0])" : "\(seeds.count) seeds (\(seeds.first!)…\(seeds.last!))"
        let failedExpectations = data.expectations.count { !$0.passed }
        let simulated = data.runs.reduce(0) { $0 + $1.simulatedMilliseconds }
        let items: [(String, String)] = [
            ("scenario", "\(data.sweep.scenarioName) (\(data.sweep.scenarioPath))"),
            ("icelab version", data.sweep.icelabVersion),
            ("started", data.sweep.startedAt),
            ("runs", "\(data.runs.count)"),
            ("seeds", seedText),
            ("passed", "\(outcomes["passed", default: 0])"),
            ("failed", "\(outcomes["failed", default: 0])"),
            ("errors", "\(outcomes["error", default: 0])"),
            ("expectations", "\(data.expectations.count - failedExpectations) passed, \(failedExpectations) failed"),
            ("wall time", data.sweep.wallSeconds.map { TickLabel.fixed($0, decimals: 1) + " s" } ?? "unfinished"),
            ("simulated time", TickLabel.fixed(simulated / 1000, decimals: 1) + " s"),
        ]
        let failed = outcomes["failed", default: 0] + outcomes["error", default: 0]
        let verdict: HTMLNode = .element("p", ["class": failed == 0 ? "verdict pass" : "verdict fail"],
                                         text: failed == 0 ? "All \(data.runs.count) runs passed."
                                             : "\(failed) of \(data.runs.count) runs failed.")
        let list: HTMLNode = .element("dl", ["class": "facts"], items.flatMap { name, value -> [HTMLNode] in
            [.element("dt", text: name), .element("dd", text: value)]
        })
        return RenderedSection(id: "overview", title: "Overview", content: ReportBlocks.section(id: "overview", title: "Overview", [verdict, list]))
    }
}
