import Yams

/// One swept parameter: a path into the scenario document and the values it takes.
public struct SweepAxis: Sendable {
    /// The path as written (`home.mapping`, `seed`).
    public let name: String
    /// The resolved path from the document root (`network.nats.home.mapping`).
    public let path: [String]
    /// The values, each keeping its position in the file for error messages.
    public let values: [YAMLNode]
}

/// One combination of a sweep: a value per axis, applied to the document before it is
/// decoded, so every run is validated like a hand-written scenario.
public struct SweepPoint: Sendable {
    /// `(axis name, value text)` in axis order.
    public let assignments: [(name: String, value: String)]

    public init(assignments: [(name: String, value: String)]) {
        self.assignments = assignments
    }

    /// `home.mapping=endpoint-independent seed=3`: stable identity of the point.
    public var key: String { assignments.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
}

/// The Cartesian product of a scenario's `sweep:` section.
public struct Sweep: Sendable {
    public let axes: [SweepAxis]

    /// Sections of the document a shorthand path (`home.mapping`) may refer into:
    /// `home` is looked up as a name in each of these.
    static let namedSections: [[String]] = [["network", "nats"], ["network", "firewalls"], ["network", "hosts"],
                                            ["network", "servers"], ["network", "routers"]]

    /// Reads the `sweep:` mapping of `document` (absent: a single point).
    public init(document: YAMLNode) throws(ScenarioError) {
        guard let section = try document.fields(allowed: Scenario.topLevelKeys).optional("sweep") else {
            axes = []
            return
        }
        var axes: [SweepAxis] = []
        for (name, keyNode, value) in try section.mapping() {
            let path = try Sweep.resolve(name, in: document, at: keyNode)
            axes.append(SweepAxis(name: name, path: path, values: try Sweep.values(of: value)))
        }
        self.axes = axes
    }

    /// Number of runs.
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The `index`-th point (axis 0 varies slowest), and the document with its values.
    public func point(_ index: Int, of document: YAMLNode) -> (SweepPoint, YAMLNode) {
        var remainder = index
        var chosen: [(SweepAxis, YAMLNode)] = []
        for axis in axes.reversed() {
            chosen.append((axis, axis.values[remainder % axis.values.count]))
            remainder /= axis.values.count
        }
        chosen.reverse()
        var node = document.node
        for (axis, value) in chosen { node = Sweep.setting(value.node, at: axis.path[...], in: node) }
        let assignments = chosen.map { (name: $0.0.name, value: Sweep.label($0.1.node)) }
        return (SweepPoint(assignments: assignments), YAMLNode(node, file: document.file, path: ""))
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

    /// A list of values, or an integer range `a...b`.
    static func values(of node: YAMLNode) throws(ScenarioError) -> [YAMLNode] {
        if node.isSequence {
            let values = try node.sequence()
            guard !values.isEmpty else { throw node.error("a sweep axis needs at least one value") }
            return values
        }
        let text = try node.string()
        let bounds = text.components(separatedBy: "...")
        guard bounds.count == 2, let low = Int(bounds[0].trimmingCharacters(in: .whitespaces)),
              let high = Int(bounds[1].trimmingCharacters(in: .whitespaces)) else {
            throw node.error("a sweep axis is a list of values or an integer range like 1...10, found '\(text)'")
        }
        guard low <= high else { throw node.error("empty range \(text)") }
        guard high - low < 1_000_000 else { throw node.error("range \(text) is too large") }
        return (low...high).map { value in
            YAMLNode(.scalar(Node.Scalar(String(value), .implicit, .plain, node.node.mark)), file: node.file, path: node.path)
        }
    }

    /// A swept value as text: a scalar as written, a list as `[a,b]`, a mapping as
    /// `key=value,key=value` (e.g. a whole NAT: `preset=symmetric`).
    static func label(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .sequence(let sequence): return "[" + sequence.map(label).joined(separator: ",") + "]"
        case .mapping(let mapping): return mapping.map { "\(label($0.key))=\(label($0.value))" }.joined(separator: ",")
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
