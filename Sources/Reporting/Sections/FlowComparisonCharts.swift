import Records
import Results

/// What a CC engineer reads per flow beside the bitrate chart (RFC 8868 §3): the RTT, the
/// throughput ratio of every flow to the first one over time, and each flow's empirical
/// CDF of queuing delay. Built from one run's samples, in memory.
enum FlowComparisonCharts {
    /// A flow's received-rate samples keyed by time (ms), for the ratio.
    private static func receivedByTime(_ samples: [StoredSample], flow: String) -> [Double: Double] {
        var byTime: [Double: Double] = [:]
        for sample in samples where sample.session == flow && sample.name == MediaSeries.received { byTime[sample.timeMilliseconds] = sample.value }
        return byTime
    }

    /// The flows (`session` labels) that recorded media samples, in order.
    static func flows(_ samples: [StoredSample]) -> [String] { Set(samples.compactMap(\.session)).sorted() }

    /// Each later flow's received rate over the first flow's, at the times both sampled
    /// (both positive), thinned to `maximumPoints`.
    static func ratioLines(_ samples: [StoredSample], maximumPoints: Int) -> [LineChart.Series] {
        let flows = flows(samples)
        guard flows.count >= 2 else { return [] }
        let reference = receivedByTime(samples, flow: flows[0])
        return flows.dropFirst().compactMap { flow in
            let points = receivedByTime(samples, flow: flow).compactMap { time, value -> (x: Double, y: Double)? in
                guard let base = reference[time], base > 0, value > 0 else { return nil }
                return (time / 1000, value / base)
            }.sorted { $0.x < $1.x }
            guard !points.isEmpty else { return nil }
            let stride = max(1, (points.count + maximumPoints - 1) / maximumPoints)
            return LineChart.Series(label: "\(flow) / \(flows[0])", points: Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] })
        }
    }

    /// One empirical CDF of queuing delay samples per flow.
    static func delayCDFs(_ samples: [StoredSample]) -> [LineChart.Series] {
        flows(samples).compactMap { flow in
            let delays = samples.filter { $0.session == flow && $0.name == MediaSeries.queueDelay }.map(\.value).sorted()
            return delays.isEmpty ? nil : LineChart.Series(label: flow, points: Percentiles.cdf(delays))
        }
    }
}
