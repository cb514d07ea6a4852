import Records
import Results

/// Everything a report reads of one sweep, loaded in a few whole-sweep queries (per-run
/// details such as events are read later, only for the runs that get a timeline).
public struct SweepData: Sendable {
    public var sweep: StoredSweep
    public var runs: [StoredRunSummary]
    public var sessions: [StoredSession]
    public var expectations: [StoredExpectation]
    /// Runs by ID.
    public var runsByID: [Int64: StoredRunSummary]

    /// Reads sweep `sweepID` of `store`. Throws `ReportError.noSuchSweep` or the store's
    /// `ResultStoreError`.
    public init(store: ResultStore, sweepID: Int64) throws {
        guard let sweep = try store.sweep(id: sweepID) else { throw ReportError.noSuchSweep(sweepID, path: store.path) }
        self.sweep = sweep
        runs = try store.runSummaries(sweepID: sweepID)
        sessions = try store.sessions(sweepID: sweepID)
        expectations = try store.expectations(sweepID: sweepID)
        runsByID = Dictionary(uniqueKeysWithValues: runs.map { ($0.id, $0) })
    }

    /// Sessions grouped by `key` of their run and themselves (nil leaves a session out),
    /// groups in order of first appearance.
    public func sessionGroups(by key: (StoredRunSummary, StoredSession) -> String?) -> [(key: String, sessions: [StoredSession])] {
        var order: [String] = []
        var groups: [String: [StoredSession]] = [:]
        for session in sessions {
            guard let run = runsByID[session.runID], let name = key(run, session) else { continue }
            if groups[name] == nil { order.append(name) }
            groups[name, default: []].append(session)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    /// The sessions `including` keeps, grouped by path (`SessionPath`), paths in
    /// `SessionPath.names`' order (direct ones first) whatever the sessions' order.
    public func sessionGroupsByPath(including: (StoredSession) -> Bool = { _ in true }) -> [(key: String, sessions: [StoredSession])] {
        let rank = { (path: String) in SessionPath.names.firstIndex(of: path) ?? SessionPath.names.count }
        return sessionGroups { _, session in including(session) ? session.path : nil }.enumerated()
            .sorted { (rank($0.element.key), $0.offset) < (rank($1.element.key), $1.offset) }.map(\.element)
    }
}
