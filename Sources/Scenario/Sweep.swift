import Records
import Yams

/// One swept parameter: a path into the scenario document and the values it takes.
public struct SweepAxis: Sendable {
    /// The path as written (`home.mapping`, `seed`).
    public let name: String
    /// The resolved path from the document root (`network.nats.home.mapping`).
    public let path: [String]
    /// Where the axis is written (its key).
    public let location: SourceLocation
    /// The values, each keeping its position in the file for error messages.
    public let values: SweepValues
}

/// The Cartesian product of a scenario's `sweep:` section.
public struct Sweep: Sendable {
    public let axes: [SweepAxis]

    /// Sections of the document a shorthand path (`home.mapping`) may refer into:
    /// `home` is looked up as a name in each of these.
    static let namedSections: [[String]] = [["network", "nats"], ["network", "firewalls"], ["network", "hosts"],
                                            ["network", "servers"], ["network", "routers"]]

    /// Number of runs: the product of the axes' value counts, at most the limit it was read with.
    public let count: Int

    /// Reads the `sweep:` mapping of `document` (absent: a single point). A sweep of more
    /// than `maxRuns` runs is refused, its size counted without overflow and nothing expanded.
    public init(document: YAMLNode, maxRuns: Int = ScenarioLimits.standard.maxRuns) throws(ScenarioError) {
        guard let section = try document.fields(allowed: Scenario.topLevelKeys).optional("sweep") else {
            axes = []
            count = 1
            return
        }
        var axes: [SweepAxis] = []
        var count = 1
        for (name, keyNode, value) in try section.mapping() {
            let path = try Sweep.resolve(name, in: document, at: keyNode)
            let axis = SweepAxis(name: name, path: path, location: keyNode.location, values: try SweepValues(value, maxCount: maxRuns))
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= maxRuns else {
                let size = overflow ? "more than \(Int.max)" : "\(product)"
                throw keyNode.error("with '\(name)' the sweep has \(size) runs, more than the limit of \(maxRuns) (icelab run --max-runs)")
            }
            count = product
            axes.append(axis)
        }
        self.axes = axes
        self.count = count
    }

    /// The axis sweeping the top-level `seed`, if any.
    public var seedAxis: Int? { axes.firstIndex { $0.path == ["seed"] } }

    /// The value index of each axis at run `index` (axis 0 varies slowest).
    func valueIndices(_ index: Int) -> [Int] {
        var remainder = index
        var indices = [Int](repeating: 0, count: axes.count)
        for position in axes.indices.reversed() {
            indices[position] = remainder % axes[position].values.count
            remainder /= axes[position].values.count
        }
        return indices
    }

    /// The point of run `index`, without building its document.
    public func assignments(_ index: Int) -> SweepPoint {
        let chosen = valueIndices(index)
        return SweepPoint(assignments: axes.indices.map { (name: axes[$0].name, value: axes[$0].values.label(at: chosen[$0])) })
    }

    /// The `index`-th point (axis 0 varies slowest), and the document with its values.
    public func point(_ index: Int, of document: YAMLNode) -> (SweepPoint, YAMLNode) {
        let chosen = valueIndices(index)
        var node = document.node
        for (axis, value) in zip(axes, chosen) { node = Sweep.setting(axis.values[value].node, at: axis.path[...], in: node) }
        return (assignments(index), YAMLNode(node, file: document.file, path: ""))
    }

    /// The runs whose value on `axis` is its first one: every combination of the other
    /// axes once, in index order (all runs when `axis` is nil).
    func runs(withFirstValueOf axis: Int?) -> [Int] {
        guard let axis else { return Array(0..<count) }
        let stride = axes[(axis + 1)...].reduce(1) { $0 * $1.values.count }
        let block = stride * axes[axis].values.count
        return (0..<count / block).flatMap { high in (0..<stride).map { high * block + $0 } }
    }

    // MARK: Paths and values

    /// An absolute path (first component a top-level key) as is; otherwise the first
    /// component names an entity in exactly one named section.
    static func resolve(_ name: String, in document: YAMLNode, at keyNode: YAMLNode) throws(ScenarioError) -> [String] {
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first, !parts.contains(where: \.isEmpty) else { throw keyNode.error("empty sweep parameter path '\(name)'") }
        if Scenario.topLevelKeys.contains(first) {
            guard first != "sweep" else { throw keyNode.error("a sweep cannot sweep itself") }
            for (depth, part) in parts.enumerated() where Int(part) != nil {
                guard case .sequence? = lookup(Array(parts[..<depth]), in: document.node),
                      lookup(Array(parts[...depth]), in: document.node) != nil else {
                    throw keyNode.error("sweep parameter '\(name)': '\(parts[..<depth].joined(separator: "."))' has no element \(part)")
                }
            }
            return parts
        }
        var matches: [[String]] = []
        for section in namedSections where lookup(section + [first], in: document.node) != nil {
            matches.append(section + parts)
        }
        switch matches.count {
        case 1: return matches[0]
        case 0:
            let names = namedSections.flatMap { section -> [String] in
                guard case .mapping(let m)? = lookup(section, in: document.node) else { return [] }
                return m.keys.compactMap(\.string)
            }
            throw keyNode.error("sweep parameter '\(name)': no NAT, firewall, host, server or router is called '\(first)'"
                                + Suggestions.hint(for: first, in: names + Scenario.topLevelKeys))
        default:
            throw keyNode.error("sweep parameter '\(name)' is ambiguous: write the full path, e.g. '\(matches[0].joined(separator: "."))'")
        }
    }

    /// A swept value as text, lists and mappings without spaces (the runs' `parameters`
    /// separate assignments with spaces): a scalar as written, a list as `[a,b]`, a mapping as
    /// `{key=value,key=value}` in the order written (a whole NAT: `{preset=symmetric}`, a
    /// public host: `{}`, a host behind a NAT: `{behind=home}`).
    static func label(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .sequence(let sequence): return "[" + sequence.map(label).joined(separator: ",") + "]"
        case .mapping(let mapping): return "{" + mapping.map { "\(label($0.key))=\(label($0.value))" }.joined(separator: ",") + "}"
        case .alias: return "?"
        }
    }

    static func lookup(_ path: [String], in node: Node) -> Node? {
        var current = node
        for key in path {
            switch current {
            case .mapping(let mapping):
                guard let next = mapping.first(where: { $0.key.string == key })?.value else { return nil }
                current = next
            case .sequence(let sequence):
                guard let index = Int(key), sequence.indices.contains(index) else { return nil }
                current = sequence[index]
            default:
                return nil
            }
        }
        return current
    }

    /// `node` with the value at `path` replaced by (or set to) `value`.
    static func setting(_ value: Node, at path: ArraySlice<String>, in node: Node) -> Node {
        guard let key = path.first else { return value }
        if case .sequence(let sequence) = node, let index = Int(key), sequence.indices.contains(index) {
            var nodes = Array(sequence)
            nodes[index] = setting(value, at: path.dropFirst(), in: nodes[index])
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
        }
        var pairs: [(Node, Node)] = []
        var tag = Tag(.map)
        var style = Node.Mapping.Style.any
        var mark: Mark?
        if case .mapping(let mapping) = node {
            pairs = mapping.map { ($0.key, $0.value) }
            tag = mapping.tag
            style = mapping.style
            mark = mapping.mark
        }
        if let index = pairs.firstIndex(where: { $0.0.string == key }) {
            pairs[index].1 = setting(value, at: path.dropFirst(), in: pairs[index].1)
        } else {
            pairs.append((Node(key), setting(value, at: path.dropFirst(), in: .mapping(Node.Mapping([], Tag(.map), .any, nil)))))
        }
        return .mapping(Node.Mapping(pairs, tag, style, mark))
    }
}
