import NetTypes

/// The metrics RFC 8868 §3 computes from the exact 200 ms rate series (`Name.intervalRates`).
extension FlowSeries {
    /// Samples of `name` in `window`, with their times.
    public func timedValues(_ name: String, in window: TimeWindow = TimeWindow()) -> [(time: Duration, value: Double)] {
        (samples[name] ?? []).filter { window.contains($0.time) }
    }

    /// Minimum, maximum, mean, variance and standard deviation of the samples of `name`
    /// in `window` (RFC 8868 §3, "for the whole duration or any specific part"); nil without samples.
    public func statistics(_ name: String, in window: TimeWindow = TimeWindow()) -> SeriesStatistics? {
        SeriesStatistics(values(name, in: window))
    }

    /// From the flow's first 200 ms interval until its last: when the exact rate series cover.
    public var intervalSpan: ClosedRange<Duration>? {
        guard let times = samples[Name.sent200ms]?.map(\.time), let first = times.first, let last = times.last else { return nil }
        return (first - FlowSeries.rateInterval)...last
    }

    /// RFC 8868 §3 item 8: the time from `event` until the 200 ms sending rate converged
    /// by `criterion` (see `ConvergenceCriterion`); nil when it never did before the series ends.
    public func convergenceTime(after event: Duration, criterion: ConvergenceCriterion = .standard) -> Duration? {
        let rates = (samples[Name.sent200ms] ?? []).filter { $0.time - FlowSeries.rateInterval >= event }
        let n = criterion.intervals(of: FlowSeries.rateInterval)
        guard rates.count >= n else { return nil }
        for start in 0...(rates.count - n) {
            let held = rates[start..<start + n]
            let mean = held.reduce(0) { $0 + $1.value } / Double(n)
            if mean > 0, held.allSatisfy({ abs($0.value - mean) <= criterion.tolerance * mean }) {
                return rates[start].time - FlowSeries.rateInterval - event
            }
        }
        return nil
    }

    /// RFC 8868 §3 item 9: swings of the 200 ms sending rate between the watermarks in
    /// `window` (see `OscillationCriterion`); nil without samples.
    public func oscillations(_ criterion: OscillationCriterion = .standard, in window: TimeWindow = TimeWindow()) -> Int? {
        let rates = timedValues(Name.sent200ms, in: window)
        return rates.isEmpty ? nil : criterion.count(rates)
    }
}
