import Foundation

/// How much worse than the baseline a metric may get before it counts as a regression:
/// `max(absolute, relative × |baseline|)`. Defaults per metric; a tolerances file (JSON,
/// `{"metric": {"absolute": X, "relative": Y}}`) overrides them metric by metric.
public struct Tolerances: Sendable, Equatable {
    /// One metric's allowance.
    public struct Allowance: Codable, Sendable, Equatable {
        public var absolute: Double
        public var relative: Double

        public init(absolute: Double = 0, relative: Double = 0) {
            self.absolute = absolute
            self.relative = relative
        }

        /// The allowed worsening from `baseline`.
        public func slack(from baseline: Double) -> Double { max(absolute, relative * abs(baseline)) }
    }

    public var allowances: [String: Allowance]

    /// The documented defaults (docs/compare.md).
    public static let defaults = Tolerances(allowances: [
        Metric.utilization.rawValue: Allowance(absolute: 0.05),
        Metric.queueDelayP95.rawValue: Allowance(absolute: 10, relative: 0.25),
        Metric.timeToRate.rawValue: Allowance(absolute: 1, relative: 0.25),
        Metric.loss.rawValue: Allowance(absolute: 0.005),
        Metric.fairness.rawValue: Allowance(absolute: 0.05),
        Metric.connected.rawValue: Allowance(absolute: 20, relative: 0.25),
        Metric.nominated.rawValue: Allowance(absolute: 20, relative: 0.25),
        Metric.dtls.rawValue: Allowance(absolute: 20, relative: 0.25),
        Metric.firstMedia.rawValue: Allowance(absolute: 20, relative: 0.25),
        Metric.convergence.rawValue: Allowance(absolute: 1, relative: 0.25),
        Metric.oscillations.rawValue: Allowance(absolute: 2, relative: 0.25),
        Metric.sendingUtilization.rawValue: Allowance(absolute: 0.05),
        Metric.throughputRatio1s.rawValue: Allowance(absolute: 0.1),
        Metric.throughputRatio5s.rawValue: Allowance(absolute: 0.1),
        Metric.throughputRatio20s.rawValue: Allowance(absolute: 0.1),
        Metric.tcpThroughputRatio1s.rawValue: Allowance(absolute: 0.1),
        Metric.tcpThroughputRatio5s.rawValue: Allowance(absolute: 0.1),
        Metric.tcpThroughputRatio20s.rawValue: Allowance(absolute: 0.1),
    ])

    public init(allowances: [String: Allowance]) {
        self.allowances = allowances
    }

    /// The defaults with the overrides in the JSON file at `path`.
    public init(overridesAt path: String) throws {
        let overrides = try JSONDecoder().decode([String: Allowance].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        for metric in overrides.keys where Metric(rawValue: metric) == nil {
            throw CompareError("\(path): unknown metric '\(metric)'; known: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = Tolerances.defaults
        allowances.merge(overrides) { _, new in new }
    }

    /// The allowance of `metric` (none for metrics without a default).
    public func allowance(_ metric: String) -> Allowance { allowances[metric] ?? Allowance() }
}

/// A problem with the gate's inputs (a file that cannot be read or decoded): exit code 2.
public struct CompareError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
