import Live
import NetTypes
import Records
import Scenario
import Signaling

/// The table printed after a sweep: success rate and median connected and nominated
/// times per swept group (the sweep parameters other than the seed), and the median time
/// to DTLS connected and to the first media frame when sessions ran DTLS or media.
struct SweepSummary {
    private struct Group {
        var runs = 0
        var passed = 0
        var sessions = 0
        var connected = 0
        var connectedTimes: [Double] = []
        var nominatedTimes: [Double] = []
        var dtlsTimes: [Double] = []
        var mediaTimes: [Double] = []
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
            if let t = session.connectedTime { group.connectedTimes.append(t.milliseconds) }
            if let t = session.nominatedTime { group.nominatedTimes.append(t.milliseconds) }
            if let t = session.dtlsTime { group.dtlsTimes.append(t.milliseconds) }
            if let t = session.firstMediaTime { group.mediaTimes.append(t.milliseconds) }
        }
        groups[key] = group
    }

    func failureLine(_ result: RunResult) -> String {
        let what = result.errorMessage ?? result.expectations.filter { !$0.passed }.map(\.message).joined(separator: "; ")
        return "run \(result.runIndex) [\(result.parameters.key)] \(result.outcome.rawValue): \(what)"
    }

    /// Aligned columns: group, runs, passed, sessions connected, median connected time (a
    /// browser's "connected"), median nominated time, and median DTLS and first-media
    /// times when any session has them; then the totals. The groups past the first 40 are in the report, when one is written.
    func table(wallSeconds: Double, reportWritten: Bool) -> String {
        let total = groups.values.reduce(0) { $0 + $1.runs }
        let totals = "\(total) runs in \(String(format: "%.2f", wallSeconds)) s, \(failed) failed"
        guard total > 0 else { return totals }
        let secured = groups.values.contains { !$0.dtlsTimes.isEmpty || !$0.mediaTimes.isEmpty }
        var rows = [["group", "runs", "passed", "connected", "median connected", "median nominated"]
                    + (secured ? ["median DTLS", "median media"] : [])]
        let shown = order.count > 40 ? Array(order.prefix(40)) : order
        for key in shown {
            guard let g = groups[key] else { continue }
            let connected = g.sessions == 0 ? "-" : "\(Int((100.0 * Double(g.connected) / Double(g.sessions)).rounded()))%"
            rows.append([key.isEmpty ? "(all)" : key, "\(g.runs)", "\(g.passed)", connected, Self.median(g.connectedTimes),
                         Self.median(g.nominatedTimes)] + (secured ? [Self.median(g.dtlsTimes), Self.median(g.mediaTimes)] : []))
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        let hidden = order.count - shown.count
        let more = hidden == 0 ? "" : "\n… \(hidden) more groups" + (reportWritten ? " (see the report)" : "")
        return lines.joined(separator: "\n") + more + "\n" + totals
    }

    /// The median of `times` in whole milliseconds, or "-".
    private static func median(_ times: [Double]) -> String {
        let sorted = times.sorted()
        return sorted.isEmpty ? "-" : "\(Int(sorted[sorted.count / 2].rounded())) ms"
    }

    /// Runs this invocation did not run because the database had them: before it started,
    /// or recorded by another `icelab run` on the same database meanwhile.
    static func skippedLine(alreadyInDatabase: Int, recordedElsewhere: Int, database: String) -> String {
        var line = "\(alreadyInDatabase) runs were already in \(database) (skipped)"
        if recordedElsewhere > 0 { line += "; \(recordedElsewhere) more were recorded there meanwhile by another icelab run (kept theirs)" }
        return line
    }
}

/// One JSON object per run for `--json`.
enum RunJSON {
    static func line(_ r: RunResult) -> String {
        typealias Field = JSONLine.Field
        let sessions = r.sessions.map { s in
            JSONLine.Value.object([
                Field("name", .string(s.name)), Field("connected", .bool(s.connected)),
                Field("connected_ms", s.connectedTime.map { .number($0.milliseconds) } ?? .null),
                Field("nominated_ms", s.nominatedTime.map { .number($0.milliseconds) } ?? .null),
                Field("local_type", .optional(s.selectedLocalType)), Field("remote_type", .optional(s.selectedRemoteType)),
                Field("relay", .bool(s.relayUsed)), Field("final_state", .string(s.finalState)),
                Field("dtls_state", .optional(s.dtlsState)),
                Field("dtls_ms", s.dtlsTime.map { .number($0.milliseconds) } ?? .null),
                Field("first_media_ms", s.firstMediaTime.map { .number($0.milliseconds) } ?? .null),
                Field("signaling_ms", s.signalingTime.map { .number($0.milliseconds) } ?? .null),
                Field("dtls_failure", .optional(s.dtlsFailure)),
            ])
        }
        let expectations = r.expectations.map { e in
            JSONLine.Value.object([Field("expectation", .string(e.description)), Field("passed", .bool(e.passed)),
                                   Field("message", .string(e.message))])
        }
        return JSONLine.encode([
            Field("run", .integer(Int64(r.runIndex))),
            Field("parameters", .object(r.parameters.assignments.map { Field($0.name, .string($0.value)) })),
            Field("seed", .unsigned(r.seed)),
            Field("outcome", .string(r.outcome.rawValue)), Field("error", .optional(r.errorMessage)),
            Field("wall_ms", .number(r.wallSeconds * 1000)),
            Field("sessions", .array(sessions)), Field("expectations", .array(expectations)),
        ])
    }
}
