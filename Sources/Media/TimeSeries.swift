import NetTypes

/// Samples of one metric over simulated time, for reports and tests.
public struct TimeSeries: Sendable, Equatable {
    public private(set) var times: [Instant] = []
    public private(set) var values: [Double] = []

    public init() {}

    public mutating func append(_ value: Double, at time: Instant) {
        times.append(time)
        values.append(value)
    }

    public var count: Int { values.count }

    /// The values sampled in `range`.
    public func values(in range: Range<Instant>) -> [Double] {
        zip(times, values).filter { range.contains($0.0) }.map(\.1)
    }

    /// The `p`-quantile (0...1, nearest rank) of the values in `range`; nil when empty.
    public func percentile(_ p: Double, in range: Range<Instant>) -> Double? {
        let sorted = values(in: range).sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank - 1, 0), sorted.count - 1)]
    }

    /// The mean of the values in `range`; nil when empty.
    public func mean(in range: Range<Instant>) -> Double? {
        let selected = values(in: range)
        return selected.isEmpty ? nil : selected.reduce(0, +) / Double(selected.count)
    }
}
