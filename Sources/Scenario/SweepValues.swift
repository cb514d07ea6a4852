import Yams

/// The values of one sweep axis: a list as written, or an integer range `a...b` whose
/// values are made when asked for, so a long range costs nothing until it runs.
public enum SweepValues: Sendable {
    case list([YAMLNode])
    /// `count` integers from `low`, written as `node`.
    case range(low: Int, count: Int, node: YAMLNode)

    /// Reads a list of values, or an integer range `a...b` of at most `maxCount` values.
    init(_ node: YAMLNode, maxCount: Int) throws(ScenarioError) {
        if node.isSequence {
            let values = try node.sequence()
            guard !values.isEmpty else { throw node.error("a sweep axis needs at least one value") }
            self = .list(values)
            return
        }
        let text = try node.string()
        let bounds = text.components(separatedBy: "...")
        guard bounds.count == 2, let low = Int(bounds[0].trimmingCharacters(in: .whitespaces)),
              let high = Int(bounds[1].trimmingCharacters(in: .whitespaces)) else {
            throw node.error("a sweep axis is a list of values or an integer range like 1...10, found '\(text)'")
        }
        guard low <= high else { throw node.error("empty range \(text)") }
        // Checked: the span of Int.min...Int.max does not fit in an Int.
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < maxCount else {
            throw node.error("range \(text) has more than \(maxCount) values, the limit of runs in a sweep (icelab run --max-runs)")
        }
        self = .range(low: low, count: span + 1, node: node)
    }

    public var count: Int {
        switch self {
        case .list(let values): return values.count
        case .range(_, let count, _): return count
        }
    }

    /// The `index`-th value as text (as `Sweep.label` writes it), without making a node
    /// for a range's value.
    func label(at index: Int) -> String {
        switch self {
        case .list(let values): return Sweep.label(values[index].node)
        case .range(let low, _, _): return String(low + index)
        }
    }

    /// The `index`-th value as a seed: a non-negative whole number.
    func seed(at index: Int) throws(ScenarioError) -> UInt64 {
        switch self {
        case .list(let values): return try values[index].uint64()
        case .range(let low, _, _):
            guard let seed = UInt64(exactly: low + index) else { return try self[index].uint64() }
            return seed
        }
    }

    /// Checks that every value is a seed: each of a list; a range's lowest value stands
    /// for all of it (its values are whole numbers up to Int.max, seeds if not negative).
    func checkSeeds() throws(ScenarioError) {
        switch self {
        case .list(let values): for value in values { _ = try value.uint64() }
        case .range: _ = try seed(at: 0)
        }
    }

    /// The `index`-th value (a range's values are positioned at the range).
    public subscript(index: Int) -> YAMLNode {
        switch self {
        case .list(let values): return values[index]
        case .range(let low, _, let node):
            let scalar = Node.Scalar(String(low + index), .implicit, .plain, node.node.mark)
            return YAMLNode(.scalar(scalar), file: node.file, path: node.path)
        }
    }
}
