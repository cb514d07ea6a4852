import Foundation
import Results

/// A candidate's metrics against a baseline's, metric by metric, with the tolerances:
/// the regression gate behind `icelab compare`.
public struct Comparison: Sendable {
    /// What happened to one metric of one subject.
    public enum Status: String, Sendable {
        case unchanged = "ok"
        case improved
        case regressed = "REGRESSED"
        /// In the baseline, not in the candidate: counts as a regression.
        case missing = "MISSING"
        /// In the candidate only.
        case new
    }

    public struct Row: Sendable {
        public var scenario: String
        public var run: String
        public var subject: String
        public var metric: String
        public var baseline: Double?
        public var candidate: Double?
        public var status: Status

        public var failed: Bool { status == .regressed || status == .missing }
    }

    public private(set) var rows: [Row] = []

    public init(baseline: RegressionMetrics, candidate: RegressionMetrics, tolerances: Tolerances = .defaults) {
        var keys: Set<[String]> = []
        for source in [baseline.scenarios, candidate.scenarios] {
            for (scenario, runs) in source {
                for (run, subjects) in runs {
                    for (subject, metrics) in subjects { for metric in metrics.keys { keys.insert([scenario, run, subject, metric]) } }
                }
            }
        }
        func value(_ table: RegressionMetrics.Table, _ key: [String]) -> Double? { table[key[0]]?[key[1]]?[key[2]]?[key[3]] }
        for key in keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let old = value(baseline.scenarios, key), new = value(candidate.scenarios, key)
            let status: Status
            if let old, let new {
                let slack = tolerances.allowance(key[3]).slack(from: old)
                let worsening = (Metric(rawValue: key[3])?.higherIsBetter ?? false) ? old - new : new - old
                status = worsening > slack ? .regressed : (worsening < -slack ? .improved : .unchanged)
            } else {
                status = old == nil ? .new : .missing
            }
            rows.append(Row(scenario: key[0], run: key[1], subject: key[2], metric: key[3], baseline: old, candidate: new, status: status))
        }
    }

    /// Whether any metric regressed or went missing.
    public var hasRegression: Bool { rows.contains(where: \.failed) }

    /// A plain-text table, one line per metric, and a summary line.
    public var table: String {
        let header = ["scenario", "run", "subject", "metric", "baseline", "candidate", "status"]
        let cells = rows.map { [$0.scenario, $0.run, $0.subject, $0.metric, Self.format($0.baseline), Self.format($0.candidate), $0.status.rawValue] }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ values: [String]) -> String {
            values.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let failed = rows.filter(\.failed).count
        let summary = "\(rows.count) metrics, \(failed) regression\(failed == 1 ? "" : "s"), \(rows.filter { $0.status == .improved }.count) improved"
        return ([line(header)] + cells.map(line) + [summary]).joined(separator: "\n")
    }

    static func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: abs(value) >= 100 ? "%.0f" : "%.3f", value)
    }

    /// JUnit XML: a test case per scenario × metric; a failure lists the subjects that regressed.
    public var junit: String {
        var groups: [String: [Row]] = [:]
        for row in rows { groups["\(row.scenario)\u{0}\(row.metric)", default: []].append(row) }
        let cases = groups.keys.sorted()
        let failures = cases.filter { groups[$0]!.contains(where: \.failed) }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"icelab compare\" tests=\"\(cases.count)\" failures=\"\(failures)\">\n"
        xml += "  <testsuite name=\"icelab compare\" tests=\"\(cases.count)\" failures=\"\(failures)\">\n"
        for key in cases {
            let group = groups[key]!
            xml += "    <testcase classname=\"\(Self.escaped(group[0].scenario))\" name=\"\(Self.escaped(group[0].metric))\""
            let failed = group.filter(\.failed)
            guard !failed.isEmpty else { xml += "/>\n"; continue }
            let lines = failed.map { "\($0.run) \($0.subject): \(Self.format($0.baseline)) → \(Self.format($0.candidate)) (\($0.status.rawValue))" }
            xml += ">\n      <failure message=\"\(Self.escaped("\(failed.count) regression(s)"))\">\(Self.escaped(lines.joined(separator: "\n")))</failure>\n"
            xml += "    </testcase>\n"
        }
        return xml + "  </testsuite>\n</testsuites>\n"
    }

    static func escaped(_ text: String) -> String {
        var output = ""
        HTMLRenderer.escape(text, attribute: true, into: &output)
        return output
    }
}

extension RegressionMetrics {
    /// A baseline or candidate: a baseline JSON file (`.json`) or a results database.
    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw CompareError("\(path): no such file") }
        if path.hasSuffix(".json") {
            do {
                self = try JSONDecoder().decode(RegressionMetrics.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw CompareError("\(path): not a baseline file (\(error))")
            }
        } else {
            self = try RegressionMetrics(store: ResultStore(path: path))
        }
    }

    /// The figures as a baseline file: sorted keys, values rounded to 4 decimals.
    public func baselineJSON() throws -> Data {
        var rounded = self
        rounded.scenarios = scenarios.mapValues { runs in
            runs.mapValues { subjects in subjects.mapValues { metrics in metrics.mapValues { ($0 * 10_000).rounded() / 10_000 } } }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(rounded) + Data("\n".utf8)
    }
}
