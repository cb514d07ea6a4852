import NetTypes

/// RFC 8868 §3 item 7's throughput ratios over the static periods of a run, at one
/// timescale: the windows of `ThroughputWindows` from when the last compared flow started
/// until the first stopped, keeping those in which no compared media flow's bottleneck
/// capacity changed. Media flows compared are those with a bottleneck (capacity samples),
/// by their exact 200 ms received rate; TCP flows by their goodput. A window's ratio is the
/// slower flow's throughput over the faster's (1: equal shares; RFC 8868's guideline of
/// 1/3 to 3 between media flows is a ratio of at least 0.333 here), and the metric the
/// smallest ratio of any window.
public struct StaticWindowRatios: Sendable {
    public typealias Samples = [(time: Duration, value: Double)]

    private struct Flow {
        var rates: Samples
        var span: ClosedRange<Duration>
        var capacity: Samples
    }

    private let media: [Flow]
    private let tcp: [Flow]

    /// `flows` as recorded; `tcpGoodput` the goodput samples of each TCP flow.
    public init(flows: [FlowSeries], tcpGoodput: [Samples]) {
        media = flows.compactMap { flow in
            guard let span = flow.intervalSpan, let capacity = flow.samples[FlowSeries.Name.capacity], !capacity.isEmpty else { return nil }
            return Flow(rates: flow.samples[FlowSeries.Name.received200ms] ?? [], span: span, capacity: capacity)
        }
        tcp = tcpGoodput.compactMap { samples in
            guard let first = samples.first, let last = samples.last else { return nil }
            return Flow(rates: samples, span: first.time...last.time, capacity: [])
        }
    }

    /// The smallest ratio between two media flows; nil with fewer than two or no static window.
    public func worstMediaRatio(timescale: Duration) -> Double? {
        guard media.count >= 2 else { return nil }
        return worst(media, timescale: timescale) { means in
            guard let low = means.min(), let high = means.max(), high > 0 else { return nil }
            return low / high
        }
    }

    /// The smallest ratio between a media flow and a TCP flow; nil without both or without a static window.
    public func worstTCPRatio(timescale: Duration) -> Double? {
        guard !media.isEmpty, !tcp.isEmpty else { return nil }
        return worst(media + tcp, timescale: timescale) { means in
            let (m, t) = (means.prefix(media.count), means.suffix(tcp.count))
            let ratios = m.flatMap { a in t.compactMap { b in max(a, b) > 0 ? min(a, b) / max(a, b) : nil } }
            return ratios.min()
        }
    }

    /// The smallest `ratio` of the flows' window means over the static windows.
    private func worst(_ flows: [Flow], timescale: Duration, ratio: ([Double]) -> Double?) -> Double? {
        guard let from = flows.map(\.span.lowerBound).max(), let to = flows.map(\.span.upperBound).min(), to > from else { return nil }
        let windows = ThroughputWindows(origin: from, timescale: timescale, end: to)
        let means = flows.map { windows.means($0.rates) }
        var result: Double?
        for k in 0..<windows.count where isStatic(windows.span(k)) {
            let values = means.compactMap { $0[k] }
            guard values.count == flows.count, let r = ratio(values) else { continue }
            result = min(result ?? r, r)
        }
        return result
    }

    /// Whether every media flow's capacity held one value throughout `span`.
    private func isStatic(_ span: ClosedRange<Duration>) -> Bool {
        media.allSatisfy { flow in
            let inside = flow.capacity.filter { span.contains($0.time) }.map(\.value)
            return inside.allSatisfy { $0 == inside.first }
        }
    }
}
