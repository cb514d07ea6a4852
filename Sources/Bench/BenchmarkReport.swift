/// Named figures of one benchmark suite, printed for people or as one JSON object.
public struct BenchmarkReport: Sendable {
    /// One figure: a snake_case key with its unit (`events_per_s`), a value and a label.
    public struct Figure: Sendable {
        public var key: String
        public var value: Double
        public var label: String
    }

    public private(set) var figures: [Figure] = []

    public init() {}

    public mutating func add(_ key: String, _ value: Double, label: String) {
        figures.append(Figure(key: key, value: value, label: label))
    }

    public func value(_ key: String) -> Double? { figures.first { $0.key == key }?.value }

    /// `{"events_per_s":123,...}` with keys in insertion order.
    public var json: String {
        "{" + figures.map { "\"\($0.key)\":\(BenchmarkReport.number($0.value))" }.joined(separator: ",") + "}"
    }

    /// One aligned line per figure.
    public var text: String {
        let width = figures.map(\.label.count).max() ?? 0
        return figures.map { f in
            f.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + BenchmarkReport.human(f.value)
        }.joined(separator: "\n")
    }

    static func number(_ v: Double) -> String {
        v.isFinite ? (v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)) : "null"
    }

    static func human(_ v: Double) -> String {
        if abs(v) >= 1e6 { return String(format3(v / 1e6)) + " M" }
        if abs(v) >= 1e3 { return String(format3(v / 1e3)) + " k" }
        return format3(v)
    }

    static func format3(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return String(scaled)
    }
}
