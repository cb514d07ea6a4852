import Results

/// Which runs a section draws over time: those with its data, runs with a timeline
/// first (so that charts and timelines show the same runs), then in run order, at most
/// `limit`; and the note saying so when some runs with data are not drawn.
struct ChartedRuns {
    var runs: [StoredRunSummary]
    var note: HTMLNode?

    init(withData: Set<Int64>, data: SweepData, timelines: TimelineSelection, limit: Int, what: String) {
        var drawn: Set<Int64> = []
        runs = (timelines.runs + data.runs).filter { withData.contains($0.id) && drawn.count < limit && drawn.insert($0.id).inserted }
        note = withData.count > runs.count
            ? ReportBlocks.paragraph("Charts over time for \(runs.count) of the \(withData.count) runs with \(what) "
                + "(runs with a timeline first); the table covers every run.")
            : nil
    }
}
