import NetTypes
import Yams

/// A node of a parsed scenario file with its position, and typed accessors that fail
/// with `file:line:col` errors naming what was expected.
public struct YAMLNode: @unchecked Sendable {
    /// The underlying Yams node (immutable once parsed).
    let node: Node
    let file: String
    /// Dotted path from the document root, for messages (`network.links[2].latency`).
    public let path: String

    init(_ node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses `text` into its root node; YAML syntax errors become `ScenarioError`s, and a
    /// document that expands (through aliases) past `maxNodes` nodes is refused.
    public static func parse(_ text: String, file: String, maxNodes: Int = ScenarioLimits.standard.maxNodes) throws(ScenarioError) -> YAMLNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLNode.convert(error, file: file, text: text)
        } catch {
            throw ScenarioError(SourceLocation(file: file, line: 1, column: 1), "cannot parse the file as YAML")
        }
        guard let root else { throw ScenarioError(SourceLocation(file: file, line: 1, column: 1), "the file is empty") }
        try YAMLExpansion.check(root, file: file, maxNodes: maxNodes)
        return YAMLNode(root, file: file, path: "")
    }

    /// A Yams error as a located message in the user's terms (no libyaml internals).
    static func convert(_ error: YamlError, file: String, text: String) -> ScenarioError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, _):
            let key = duplicates.sorted().first ?? "?"
            let places = keyOccurrences(key, in: text)
            let second = places.count > 1 ? places[1] : places.first ?? (1, 1)
            let first = places.first.map { " (first defined at line \($0.line))" } ?? ""
            return ScenarioError(SourceLocation(file: file, line: second.line, column: second.column), "duplicate key '\(key)'\(first)")
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return ScenarioError(SourceLocation(file: file, line: mark.line, column: mark.column), "YAML syntax error: \(plain(problem))")
        case .composer(_, let problem, let mark, _):
            return ScenarioError(SourceLocation(file: file, line: mark.line, column: mark.column), "YAML error: \(plain(problem))")
        case .reader(let problem, let offset, _, _):
            let (line, column) = offset.map { position(ofCharacter: $0, in: text) } ?? (1, 1)
            return ScenarioError(SourceLocation(file: file, line: line, column: column), "cannot read the file as YAML text: \(plain(problem))")
        default:
            return ScenarioError(SourceLocation(file: file, line: 1, column: 1), "cannot parse the file as YAML")
        }
    }

    /// libyaml's problem text without the names of libyaml's own functions, which some of
    /// its messages give as advice to the programmer (`yaml_set_max_nest_level()`).
    static func plain(_ problem: String) -> String {
        if problem.hasPrefix("Maximum nesting level reached") {
            return "the document nests more than \(YAMLExpansion.maxDepth) levels deep"
        }
        guard let name = problem.range(of: "yaml_") else { return problem }
        let clause = problem[..<name.lowerBound].lastIndex { $0 == "," || $0 == "(" } ?? name.lowerBound
        return problem[..<clause].trimmingCharacters(in: .whitespaces)
    }

    /// 1-based line and column of the `offset`-th character of `text`.
    static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// Positions of `key:` as a mapping key in `text` (block or flow style).
    static func keyOccurrences(_ key: String, in text: String) -> [(line: Int, column: Int)] {
        var found: [(Int, Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let chars = Array(line)
            let keyChars = Array(key)
            var i = 0
            while i + keyChars.count < chars.count {
                let before = i == 0 ? " " : chars[i - 1]
                if Array(chars[i..<i + keyChars.count]) == keyChars, " {,-".contains(before) {
                    var j = i + keyChars.count
                    while j < chars.count, chars[j] == " " { j += 1 }
                    if j < chars.count, chars[j] == ":" { found.append((index + 1, i + 1)) }
                }
                i += 1
            }
        }
        return found
    }

    /// Where this node starts.
    public var location: SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// An error at this node.
    public func error(_ message: String) -> ScenarioError { ScenarioError(location, message) }

    func child(_ node: Node, key: String) -> YAMLNode {
        YAMLNode(node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    func element(_ node: Node, index: Int) -> YAMLNode {
        YAMLNode(node, file: file, path: "\(path)[\(index)]")
    }

    /// What this node is, for "expected X, found Y" messages.
    var kindName: String {
        switch node {
        case .scalar: return "a value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: Structure

    /// The entries of a mapping, in file order, with their key positions.
    public func mapping() throws(ScenarioError) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping at '\(displayPath)', found \(kindName)") }
        var entries: [(String, YAMLNode, YAMLNode)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                throw YAMLNode(key, file: file, path: path).error("mapping keys must be plain names")
            }
            entries.append((scalar.string, YAMLNode(key, file: file, path: path), child(value, key: scalar.string)))
        }
        return entries
    }

    /// The fields of a mapping whose allowed keys are `allowed`; unknown keys are errors
    /// with a "did you mean" hint.
    public func fields(allowed: [String]) throws(ScenarioError) -> Fields {
        var values: [String: YAMLNode] = [:]
        for (key, keyNode, value) in try mapping() {
            guard allowed.contains(key) else {
                let where_ = path.isEmpty ? "" : " in '\(path)'"
                throw keyNode.error("unknown key '\(key)'\(where_)\(Suggestions.hint(for: key, in: allowed))")
            }
            values[key] = value
        }
        return Fields(owner: self, values: values)
    }

    /// The elements of a list.
    public func sequence() throws(ScenarioError) -> [YAMLNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list at '\(displayPath)', found \(kindName)") }
        return sequence.enumerated().map { element($0.element, index: $0.offset) }
    }

    /// Whether the node is a list.
    public var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    /// Whether the node is a mapping.
    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }

    var displayPath: String { path.isEmpty ? "top level" : path }

    // MARK: Scalars

    /// The scalar text.
    public func string() throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a value at '\(displayPath)', found \(kindName)") }
        return scalar.string
    }

    public func int(in range: ClosedRange<Int> = Int.min...Int.max) throws(ScenarioError) -> Int {
        let text = try string()
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected a whole number at '\(displayPath)', found '\(text)'")
        }
        guard range.contains(value) else { throw error("'\(displayPath)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)") }
        return value
    }

    public func uint64() throws(ScenarioError) -> UInt64 {
        let text = try string()
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard let value = UInt64(digits) else {
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw error("'\(displayPath)' must be at most \(UInt64.max), found '\(text)'")
            }
            throw error("expected a non-negative whole number at '\(displayPath)', found '\(text)'")
        }
        return value
    }

    public func double() throws(ScenarioError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("expected a number at '\(displayPath)', found '\(text)'") }
        return value
    }

    public func bool() throws(ScenarioError) -> Bool {
        let text = try string()
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false at '\(displayPath)', found '\(text)'")
        }
    }

    /// The case of `T` written as its raw value: every fixed choice of a scenario file
    /// (`mapping: endpoint-independent`, `kind: turn`) decodes to an enum here, so specs
    /// hold enums and nothing switches over strings later.
    public func choice<T: CaseIterable & RawRepresentable<String>>(of type: T.Type = T.self) throws(ScenarioError) -> T {
        try choice(among: T.allCases)
    }

    /// The element of `cases` written as its raw value; otherwise an error at this node
    /// listing the allowed values, with a "did you mean" hint for a likely typo.
    public func choice<T: RawRepresentable<String>>(among cases: some Collection<T>) throws(ScenarioError) -> T {
        let text = try string()
        guard let value = cases.first(where: { $0.rawValue == text }) else {
            let names = cases.map(\.rawValue)
            throw error("'\(text)' is not valid for '\(displayPath)'\(Suggestions.hint(for: text, in: names)); "
                        + "expected one of: \(names.joined(separator: ", "))")
        }
        return value
    }

    /// Parses the scalar with a NetTypes parser, converting its error to a positioned one.
    public func parsed<T>(_ parse: (String) throws(ParseError) -> T) throws(ScenarioError) -> T {
        let text = try string()
        do { return try parse(text) } catch { throw self.error("\(displayPath): \(error.description)") }
    }

    public func duration() throws(ScenarioError) -> Duration { try parsed { text throws(ParseError) in try Units.duration(text) } }
    public func bitrate() throws(ScenarioError) -> Bitrate { try parsed { text throws(ParseError) in try Bitrate(parsing: text) } }
    public func percentage() throws(ScenarioError) -> Double { try parsed { text throws(ParseError) in try Units.percentage(text) } }
    public func byteCount() throws(ScenarioError) -> ByteCount { try parsed { text throws(ParseError) in try ByteCount(parsing: text) } }
    public func ipAddress() throws(ScenarioError) -> IPAddress { try parsed { text throws(ParseError) in try IPAddress(parsing: text) } }
    public func prefix() throws(ScenarioError) -> IPPrefix { try parsed { text throws(ParseError) in try IPPrefix(parsing: text) } }
}

/// The fields of one mapping, checked against its allowed keys.
public struct Fields {
    public let owner: YAMLNode
    let values: [String: YAMLNode]

    /// The value of `key`, or an error naming the missing key.
    public func required(_ key: String) throws(ScenarioError) -> YAMLNode {
        guard let value = values[key] else { throw owner.error("'\(owner.displayPath)' needs '\(key)'") }
        return value
    }

    /// The value of `key`, if present.
    public func optional(_ key: String) -> YAMLNode? { values[key] }

    /// Whether `key` is present.
    public func has(_ key: String) -> Bool { values[key] != nil }
}
