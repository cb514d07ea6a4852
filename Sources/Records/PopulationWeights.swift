/// How common each value of some swept parameters is in a population of users (a NAT
/// mix from a measurement study, say): a scenario's `population:` section. A run's weight
/// is the product, over these parameters, of its value's share; reports then give the
/// population's expected success, relay share and connect times (docs/scenarios.md,
/// "Population-weighted results").
public struct PopulationWeights: Sendable, Equatable, Codable {
    /// One weighted parameter: its values' labels (as runs record them) and weights.
    public struct Axis: Sendable, Equatable, Codable {
        public var name: String
        public var labels: [String]
        public var weights: [Double]

        public init(name: String, labels: [String], weights: [Double]) {
            self.name = name
            self.labels = labels
            self.weights = weights
        }
    }

    /// Where the mix comes from (a citation), if given.
    public var source: String?
    public var axes: [Axis]

    public init(source: String?, axes: [Axis]) {
        self.source = source
        self.axes = axes
    }

    /// The weight of a run with these `(name, value label)` parameters: the product of
    /// each weighted parameter's share (its weight over the sum of its weights); nil when
    /// the run lacks a weighted parameter or has a value the weights do not list.
    public func weight(of parameters: [(name: String, value: String)]) -> Double? {
        var product = 1.0
        for axis in axes {
            guard let value = parameters.first(where: { $0.name == axis.name })?.value,
                  let index = axis.labels.firstIndex(of: value) else { return nil }
            let total = axis.weights.reduce(0, +)
            guard total > 0 else { return nil }
            product *= axis.weights[index] / total
        }
        return product
    }
}
