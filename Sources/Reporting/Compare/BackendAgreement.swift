import Foundation
import Results

/// The simulator and real Linux networking (`icelab run --backend netns`) on the same
/// scenario, cell by cell: each session of each run (same scenario version, parameters
/// and seed) as one backend recorded it beside the other. A cell disagrees when one
/// connected and the other did not, or one went direct and the other through a relay;
/// pair types and connect times are shown, not judged (on a kernel without `sch_netem`
/// the namespaces have no link latency, and which of two working relayed pairs wins
/// depends on timing).
public struct BackendAgreement: Sendable {
    /// One session of one run in both databases.
    public struct Cell: Sendable {
        public var scenario: String
        public var parameters: String
        public var seed: UInt64
        public var session: String
        public var first: StoredSession
        public var second: StoredSession

        /// Where the two differ in outcome: `connected`, `path`; empty when they agree.
        public var disagreements: [String] {
            var found: [String] = []
            if first.connected != second.connected { found.append("connected") }
            if first.connected && second.connected && first.relayUsed != second.relayUsed { found.append("path") }
            return found
        }
    }

    /// The backends of the two databases, as recorded with their sweeps.
    public var firstBackend: String
    public var secondBackend: String
    public var cells: [Cell]
    /// Sessions only one database has.
    public var unmatched: Int

    /// Matches the sessions of `first` and `second` by scenario version, parameters, seed
    /// and session name.
    public init(first: [StoredSessionCell], second: [StoredSessionCell]) {
        func key(_ cell: StoredSessionCell) -> String { "\(cell.scenarioHash)|\(cell.parameters)|\(cell.seed)|\(cell.session.name)" }
        let others = Dictionary(second.map { (key($0), $0) }) { a, _ in a }
        var matchedKeys: Set<String> = []
        cells = first.compactMap { cell in
            guard let other = others[key(cell)] else { return nil }
            matchedKeys.insert(key(cell))
            return Cell(scenario: cell.scenarioName, parameters: cell.parameters, seed: cell.seed, session: cell.session.name,
                        first: cell.session, second: other.session)
        }
        unmatched = first.count + second.count - 2 * matchedKeys.count
        firstBackend = Set(first.map(\.backend)).sorted().joined(separator: "+")
        secondBackend = Set(second.map(\.backend)).sorted().joined(separator: "+")
    }

    /// Cells whose outcomes differ.
    public var disagreeing: [Cell] { cells.filter { !$0.disagreements.isEmpty } }

    /// A text table: every cell with both outcomes, disagreements marked, and a summary
    /// with the connect-time medians of the cells both connected.
    public var table: String {
        func outcome(_ s: StoredSession) -> String {
            guard s.connected else { return "failed" }
            let types = "\(s.localType ?? "?")-\(s.remoteType ?? "?")"
            let time = s.connectedMilliseconds.map { String(format: " %.0f ms", $0) } ?? ""
            return "\(s.relayUsed ? "relayed" : "direct") \(types)\(time)"
        }
        let width = max(30, (cells.map { "\($0.parameters) seed \($0.seed) \($0.session)".count }.max() ?? 0) + 2)
        var lines = ["cell".padding(toLength: width, withPad: " ", startingAt: 0)
                     + firstBackend.padding(toLength: 34, withPad: " ", startingAt: 0) + secondBackend]
        for cell in cells {
            let name = "\(cell.parameters) seed \(cell.seed) \(cell.session)"
            let mark = cell.disagreements.isEmpty ? "" : "   DISAGREE (\(cell.disagreements.joined(separator: ", ")))"
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + outcome(cell.first).padding(toLength: 34, withPad: " ", startingAt: 0) + outcome(cell.second) + mark)
        }
        let both = cells.filter { $0.first.connected && $0.second.connected }
        func median(_ values: [Double]) -> String {
            guard !values.isEmpty else { return "-" }
            let sorted = values.sorted()
            return String(format: "%.0f ms", sorted[sorted.count / 2])
        }
        lines.append("")
        lines.append("\(cells.count) cells, \(cells.count - disagreeing.count) agree, \(disagreeing.count) disagree"
                     + (unmatched > 0 ? ", \(unmatched) sessions in one database only" : ""))
        lines.append("median connect time where both connected: \(firstBackend) \(median(both.compactMap(\.first.connectedMilliseconds))), "
                     + "\(secondBackend) \(median(both.compactMap(\.second.connectedMilliseconds)))")
        return lines.joined(separator: "\n")
    }
}
