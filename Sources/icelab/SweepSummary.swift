import NetTypes
import Scenario

/// The table printed after a sweep: success rate and median connect time per swept
/// group (the sweep parameters other than the seed).
struct SweepSummary {
    private struct Group {
        var runs = 0
        var passed = 0
        var sessions = 0
        var connected = 0
        var connectTimes: [Double] = []
    }

    private var groups: [String: Group] = [:]
    private var order: [String] = []
    private(set) var failed = 0

    mutating func add(_ result: RunResult) {
        let key = result.parameters.assignments.filter { $0.name != "seed" }.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        if groups[key] == nil { order.append(key) }
        var group = groups[key, default: Group()]
        group.runs += 1
        if result.outcome == .passed { group.passed += 1 } else { failed += 1 }
        for session in result.sessions {
            group.sessions += 1
            if session.connected { group.connected += 1 }
            if let t = session.connectTime { group.connectTimes.append(t.milliseconds) }
        }
        groups[key] = group
    }

    func failureLine(_ result: RunResult) -> String {
        let what = result.errorMessage ?? result.expectations.filter { !$0.passed }.map(\.message).joined(separator: "; ")
        return "run \(result.runIndex) [\(result.parameters.key)] \(result.outcome.rawValue): \(what)"
    }

    /// Aligned columns: group, runs, passed, sessions connected, median connect time.
    func table(wallSeconds: Double) -> String {
        var rows = [["group", "runs", "passed", "connected", "median connect"]]
        let shown = order.count > 40 ? Array(order.prefix(40)) : order
        for key in shown {
            guard let g = groups[key] else { continue }
            let sorted = g.connectTimes.sorted()
            let median = sorted.isEmpty ? "-" : "\(Int(sorted[sorted.count / 2].rounded())) ms"
            let connected = g.sessions == 0 ? "-" : "\(Int((100.0 * Double(g.connected) / Double(g.sessions)).rounded()))%"
            rows.append([key.isEmpty ? "(all)" : key, "\(g.runs)", "\(g.passed)", connected, median])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        let total = groups.values.reduce(0) { $0 + $1.runs }
        let more = order.count > shown.count ? "\n… \(order.count - shown.count) more groups (see the report)" : ""
        return lines.joined(separator: "\n") + more + "\n\(total) runs in \(String(format: "%.2f", wallSeconds)) s, \(failed) failed"
    }
}

/// One JSON object per run for `--json`.
enum RunJSON {
    static func line(_ r: RunResult) -> String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        let sessions = r.sessions.map { s in
            "{\"name\":\(q(s.name)),\"connected\":\(s.connected),\"connect_ms\":\(s.connectTime.map { "\($0.milliseconds)" } ?? "null"),"
                + "\"local_type\":\(s.selectedLocalType.map(q) ?? "null"),\"remote_type\":\(s.selectedRemoteType.map(q) ?? "null"),"
                + "\"relay\":\(s.relayUsed),\"final_state\":\(q(s.finalState))}"
        }
        let expectations = r.expectations.map { "{\"expectation\":\(q($0.description)),\"passed\":\($0.passed),\"message\":\(q($0.message))}" }
        let parameters = r.parameters.assignments.map { "\(q($0.name)):\(q($0.value))" }
        return "{\"run\":\(r.runIndex),\"parameters\":{\(parameters.joined(separator: ","))},\"seed\":\(r.seed),"
            + "\"outcome\":\(q(r.outcome.rawValue)),\"error\":\(r.errorMessage.map(q) ?? "null"),\"wall_ms\":\(r.wallSeconds * 1000),"
            + "\"sessions\":[\(sessions.joined(separator: ","))],\"expectations\":[\(expectations.joined(separator: ","))]}"
    }
}
