/// The statistical measures RFC 8868 §3 asks of a metric over the whole session or a part
/// of it: minimum, maximum, mean, variance and standard deviation of the samples (the
/// population's, over every sample taken; no sample weighs more than another).
public struct SeriesStatistics: Sendable, Equatable {
    public var count: Int
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
    /// Mean squared deviation from the mean (population variance, divided by `count`).
    public var variance: Double

    /// Square root of the variance.
    public var standardDeviation: Double { variance.squareRoot() }

    /// The measures of `values`; nil when there are none. Two passes (mean, then the
    /// squared deviations) keep the variance exact for large rates with small spread.
    public init?(_ values: [Double]) {
        guard let first = values.first else { return nil }
        count = values.count
        minimum = values.reduce(first) { Swift.min($0, $1) }
        maximum = values.reduce(first) { Swift.max($0, $1) }
        let mean = values.reduce(0, +) / Double(values.count)
        self.mean = mean
        variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }

    /// The measures by name, as `statistic:` expectations spell them.
    public enum Measure: String, CaseIterable, Sendable {
        case min, max, mean, stddev, variance
    }

    /// The value of `measure`.
    public func value(_ measure: Measure) -> Double {
        switch measure {
        case .min: return minimum
        case .max: return maximum
        case .mean: return mean
        case .stddev: return standardDeviation
        case .variance: return variance
        }
    }
}
