import Results

/// Per-run timelines (the targets of the failure table's links): expectations, the
/// event log (ICE state changes, candidates, checks, timeline actions from `events`),
/// candidates gathered and the final state of candidate pairs. Only for the runs of a
/// `TimelineSelection`; long event logs are cut at `maximumEvents`.
enum TimelinesSection {
    static let maximumEvents = 400

    static func build(_ data: SweepData, timelines: TimelineSelection, store: ResultStore) throws -> RenderedSection? {
        guard !timelines.runs.isEmpty else { return nil }
        var content: [HTMLNode] = [ReportBlocks.paragraph(
            "Timelines of failed runs and of \(TimelineSelection.passingSamples) passing samples"
                + (timelines.omittedFailures > 0 ? "; \(timelines.omittedFailures) further failed runs are not shown." : "."))]
        let expectations = Dictionary(grouping: data.expectations, by: \.runID)
        for run in timelines.runs {
            content.append(try timeline(of: run, expectations: expectations[run.id] ?? [], store: store))
        }
        return RenderedSection(id: "timelines", title: "Run timelines",
                               content: ReportBlocks.section(id: "timelines", title: "Run timelines", content))
    }

    static func timeline(of run: StoredRunSummary, expectations: [StoredExpectation], store: ResultStore) throws -> HTMLNode {
        let events = try store.events(runID: run.id, limit: maximumEvents + 1)
        let candidates = try store.candidates(runID: run.id)
        let pairs = try store.pairs(runID: run.id)
        var children: [HTMLNode] = [
            .element("h3", text: "Run #\(run.runIndex): \(run.outcome)"),
            ReportBlocks.paragraph("\(ReportFormat.parameters(run.parameters.map { ($0.name, $0.value) })), seed \(run.seed), "
                + "\(TickLabel.fixed(run.simulatedMilliseconds / 1000, decimals: 1)) s simulated"),
        ]
        if let error = run.error { children.append(ReportBlocks.paragraph("Error: " + error, className: "bad")) }
        if !expectations.isEmpty {
            children.append(.element("ul", ["class": "expectations"], expectations.map { e in
                .element("li", ["class": e.passed ? "good" : "bad"], text: "\(e.passed ? "✓" : "✗") \(e.expectation): \(e.message)")
            }))
        }
        if !events.isEmpty {
            let rows = events.prefix(maximumEvents).map { e in
                [ReportBlocks.Cell(TickLabel.fixed(e.timeMilliseconds, decimals: 1)), ReportBlocks.Cell(e.session ?? ReportFormat.none),
                 ReportBlocks.Cell(e.source), ReportBlocks.Cell(e.kind), ReportBlocks.Cell(e.detail)]
            }
            children.append(details("Events (\(events.count > maximumEvents ? "first \(maximumEvents)" : "\(events.count)"))", open: true,
                                    ReportBlocks.table(["time (ms)", "session", "source", "kind", "detail"], rows, numeric: [0])))
        }
        if !candidates.isEmpty {
            let rows = candidates.map { c in
                [ReportBlocks.Cell(TickLabel.fixed(c.timeMilliseconds, decimals: 1)), ReportBlocks.Cell(c.session), ReportBlocks.Cell(c.agent),
                 ReportBlocks.Cell(c.type), ReportBlocks.Cell(c.transport), ReportBlocks.Cell(c.address)]
            }
            children.append(details("Candidates gathered (\(candidates.count))", open: false,
                                    ReportBlocks.table(["time (ms)", "session", "agent", "type", "transport", "address"], rows, numeric: [0])))
        }
        if !pairs.isEmpty {
            let rows = pairs.map { p in
                [ReportBlocks.Cell(p.session), ReportBlocks.Cell(p.agent), ReportBlocks.Cell("\(p.localType)→\(p.remoteType)"),
                 ReportBlocks.Cell("\(p.local) → \(p.remote)"), ReportBlocks.Cell(p.state), ReportBlocks.Cell(p.nominated ? "yes" : "")]
            }
            children.append(details("Candidate pairs (\(pairs.count))", open: false,
                                    ReportBlocks.table(["session", "agent", "types", "addresses", "state", "nominated"], rows)))
        }
        return .element("article", ["class": "timeline", "id": TimelineSelection.anchor(run.id)], children)
    }

    /// A collapsible block (`<details>`), which needs no JavaScript.
    static func details(_ summary: String, open: Bool, _ content: HTMLNode) -> HTMLNode {
        .element(HTMLElement(name: "details", attributes: open ? [HTMLAttribute(name: "open", value: "open")] : [],
                             children: [.element("summary", text: summary), content]))
    }
}
