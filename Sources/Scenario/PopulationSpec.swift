import Records

/// The `population:` section: weights for the values of swept parameters, e.g.
///
/// ```yaml
/// population:
///   source: "Author et al., 2024, NAT types seen by a video service"
///   weights:
///     a-nat: [40, 25, 20, 15]    # one weight per value of sweep.a-nat, in order
/// ```
///
/// Each name must be a sweep parameter (not `seed`: seeds give the confidence
/// intervals), with as many non-negative weights as it has values, not all zero.
enum PopulationSpec {
    static func parse(_ document: YAMLNode, sweep: Sweep) throws(ScenarioError) -> PopulationWeights? {
        guard let node = try document.fields(allowed: Scenario.topLevelKeys).optional("population") else { return nil }
        let fields = try node.fields(allowed: ["source", "weights"])
        let source = try fields.optional("source")?.string()
        let weights = try fields.required("weights")
        var axes: [PopulationWeights.Axis] = []
        for (name, keyNode, value) in try weights.mapping() {
            guard let axis = sweep.axes.first(where: { $0.name == name }), axis.path != ["seed"] else {
                let names = sweep.axes.filter { $0.path != ["seed"] }.map(\.name)
                throw keyNode.error("population weights name '\(name)', which is not a swept parameter"
                                    + (names.isEmpty ? " (the sweep has none besides seed)" : "; swept: \(names.joined(separator: ", "))"))
            }
            let items = try value.sequence()
            guard items.count == axis.values.count else {
                throw value.error("'\(name)' sweeps \(axis.values.count) values; give as many weights, found \(items.count)")
            }
            var numbers: [Double] = []
            for item in items {
                let number = try item.double()
                guard number >= 0, number.isFinite else { throw item.error("a weight must be a finite number ≥ 0, found \(number)") }
                numbers.append(number)
            }
            guard numbers.contains(where: { $0 > 0 }) else { throw value.error("the weights of '\(name)' are all zero") }
            axes.append(PopulationWeights.Axis(name: name, labels: (0..<axis.values.count).map(axis.values.label(at:)), weights: numbers))
        }
        guard !axes.isEmpty else { throw weights.error("population weights name no swept parameter") }
        return PopulationWeights(source: source, axes: axes)
    }
}
