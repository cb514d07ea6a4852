import Foundation
import Records

/// The SQLite results database: one row per run with its sessions, candidates, pairs,
/// events, expectation results and time series, each run written in one transaction.
///
/// SQLite's C API is used directly (no ORM): the store needs a handful of prepared
/// statements and explicit transactions, and a lighter dependency keeps builds fast.
/// The database is in WAL mode so that a report can read while a sweep writes.
public final class ResultStore {
    let database: SQLiteDatabase
    public let path: String

    /// Opens (or creates) the database at `path` and migrates it to the current schema.
    public init(path: String) throws(ResultStoreError) {
        self.path = path
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        try migrate()
    }

    /// The schema version the database is at.
    public func schemaVersion() throws(ResultStoreError) -> Int {
        var version = 0
        try database.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").query { row in version = Int(row.int(0)) }
        return version
    }

    private func migrate() throws(ResultStoreError) {
        try database.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")
        guard try schemaVersion() < Schema.migrations.count else { return try checkNotNewer() }
        // Read the version again inside the write transaction: of two processes opening a
        // new database at once, the second waits and finds it migrated.
        try database.transaction { () throws(ResultStoreError) in
            try checkNotNewer()
            let current = try schemaVersion()
            for (index, sql) in Schema.migrations.enumerated() where index + 1 > current {
                try database.execute(sql)
                try database.prepare("INSERT INTO schema_migrations (version) VALUES (?)").run([.integer(Int64(index + 1))])
            }
        }
    }

    private func checkNotNewer() throws(ResultStoreError) {
        let current = try schemaVersion()
        guard current <= Schema.migrations.count else {
            throw ResultStoreError("\(path) has schema version \(current), newer than this icelab (\(Schema.migrations.count))")
        }
    }

    // MARK: Writing

    /// Records the start of a sweep and returns its ID.
    public func startSweep(name: String, path: String, scenarioHash: String, version: String, runCount: Int,
                           shard: String?, backend: String = "simulator", population: PopulationWeights? = nil) throws(ResultStoreError) -> Int64 {
        let weights = population.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        try database.prepare("""
            INSERT INTO sweeps (scenario_name, scenario_path, scenario_hash, icelab_version, started_at, run_count, shard, backend, population)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run([.text(name), .text(path), .text(scenarioHash), .text(version), .text(ResultStore.timestamp()),
                      .integer(Int64(runCount)), shard.map { .text($0) } ?? .null, .text(backend), weights.map { .text($0) } ?? .null])
        return database.lastInsertedRowID
    }

    /// Marks a sweep finished: every run of its plan is recorded (an interrupted sweep
    /// keeps `finished_at` NULL).
    public func finishSweep(_ id: Int64, wallSeconds: Double) throws(ResultStoreError) {
        try database.prepare("UPDATE sweeps SET finished_at = ?, wall_s = ? WHERE id = ?")
            .run([.text(ResultStore.timestamp()), .real(wallSeconds), .integer(id)])
    }

    /// Runs of this scenario version already in the database (a resumed sweep skips them).
    public func completedRuns(scenarioHash: String) throws(ResultStoreError) -> Set<RunKey> {
        var keys: Set<RunKey> = []
        try database.prepare("SELECT parameters, seed FROM runs WHERE scenario_hash = ?").query([.text(scenarioHash)]) { row in
            keys.insert(RunKey(parameters: row.text(0), seed: UInt64(bitPattern: row.int(1))))
        }
        return keys
    }

    /// The backends (`simulator`, `netns`) whose sweeps recorded runs of this scenario version.
    public func backends(scenarioHash: String) throws(ResultStoreError) -> Set<String> {
        var found: Set<String> = []
        try database.prepare("""
            SELECT DISTINCT sweeps.backend FROM runs JOIN sweeps ON sweeps.id = runs.sweep_id WHERE runs.scenario_hash = ?
            """).query([.text(scenarioHash)]) { row in found.insert(row.text(0)) }
        return found
    }

    /// Runs of this scenario version recorded as failed or error.
    public func failedRunCount(scenarioHash: String) throws(ResultStoreError) -> Int {
        var count = 0
        try database.prepare("SELECT COUNT(*) FROM runs WHERE scenario_hash = ? AND outcome != 'passed'")
            .query([.text(scenarioHash)]) { row in count = Int(row.int(0)) }
        return count
    }

    /// Writes one run and everything it recorded, in one transaction, and returns true; or
    /// returns false and writes nothing when the database already has the run (same
    /// scenario hash, parameters and seed): another `icelab run` on the same database
    /// recorded it first, and a deterministic run's results are the same whoever records them.
    @discardableResult
    public func record(_ result: RunResult, sweepID: Int64, scenarioHash: String, version: String) throws(ResultStoreError) -> Bool {
        try database.transaction { () throws(ResultStoreError) -> Bool in
            try database.cached("""
                INSERT INTO runs (sweep_id, run_index, scenario_hash, parameters, seed, icelab_version, outcome, error,
                                  wall_ms, simulated_ms, simulator_events)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (scenario_hash, parameters, seed) DO NOTHING
                """).run([.integer(sweepID), .integer(Int64(result.runIndex)), .text(scenarioHash), .text(result.parameters.key),
                          .integer(Int64(bitPattern: result.seed)), .text(version), .text(result.outcome.rawValue),
                          result.errorMessage.map { .text($0) } ?? .null, .real(result.wallSeconds * 1000),
                          .real(result.simulatedTime.milliseconds), .integer(Int64(result.simulatorEvents))])
            guard database.changes == 1 else { return false }
            let runID = database.lastInsertedRowID
            let parameter = try database.cached("INSERT INTO run_parameters (run_id, name, value) VALUES (?, ?, ?)")
            for assignment in result.parameters.assignments {
                try parameter.run([.integer(runID), .text(assignment.name), .text(assignment.value)])
            }
            try insertSessions(result.sessions, runID: runID)
            let event = try database.cached("INSERT INTO events (run_id, session, time_ms, source, kind, detail) VALUES (?, ?, ?, ?, ?, ?)")
            for e in result.events {
                try event.run([.integer(runID), e.session.map { .text($0) } ?? .null, .real(e.time.milliseconds), .text(e.source),
                               .text(e.kind), .text(e.detail)])
            }
            let expectation = try database.cached("INSERT INTO expectations (run_id, expectation, passed, message) VALUES (?, ?, ?, ?)")
            for e in result.expectations {
                try expectation.run([.integer(runID), .text(e.description), .integer(e.passed ? 1 : 0), .text(e.message)])
            }
            let sample = try database.cached("INSERT INTO series (run_id, session, name, time_ms, value) VALUES (?, ?, ?, ?, ?)")
            for s in result.series {
                try sample.run([.integer(runID), s.session.map { .text($0) } ?? .null, .text(s.name), .real(s.time.milliseconds), .real(s.value)])
            }
            try insertTCPFlows(result.tcpFlows, runID: runID)
            try insertLinks(result.links, runID: runID)
            try insertDataChannels(result.dataChannels, runID: runID)
            return true
        }
    }

    private func insertSessions(_ sessions: [SessionResult], runID: Int64) throws(ResultStoreError) {
        let session = try database.cached("""
            INSERT INTO sessions (run_id, name, offerer, answerer, connected, connected_ms, nominated_ms, local_type, remote_type,
                                  protocol, final_state, checks_sent, checks_received, checks_retransmitted, stun_bytes,
                                  pairs_formed, relay_used, relay_protocol, dtls_state, dtls_ms, first_media_ms,
                                  dtls_retransmissions, dtls_failure, srtp_profile, signaling_ms, signaling_lost)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let candidate = try database.cached(
            "INSERT INTO candidates (session_id, agent, type, transport, address, priority, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let pair = try database.cached(
            "INSERT INTO pairs (session_id, agent, local_type, remote_type, local, remote, state, nominated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        func text(_ s: String?) -> Statement.Value { s.map { .text($0) } ?? .null }
        for s in sessions {
            try session.run([.integer(runID), .text(s.name), .text(s.offerer), .text(s.answerer), .integer(s.connected ? 1 : 0),
                             s.connectedTime.map { .real($0.milliseconds) } ?? .null, s.nominatedTime.map { .real($0.milliseconds) } ?? .null,
                             text(s.selectedLocalType), text(s.selectedRemoteType), text(s.selectedProtocol), .text(s.finalState),
                             .integer(Int64(s.checksSent)), .integer(Int64(s.checksReceived)), .integer(Int64(s.checksRetransmitted)),
                             .integer(Int64(s.stunBytes)), .integer(Int64(s.pairsFormed)), .integer(s.relayUsed ? 1 : 0),
                             text(s.relayProtocol), text(s.dtlsState), s.dtlsTime.map { .real($0.milliseconds) } ?? .null,
                             s.firstMediaTime.map { .real($0.milliseconds) } ?? .null, .integer(Int64(s.dtlsRetransmissions)),
                             text(s.dtlsFailure), text(s.srtpProfile), s.signalingTime.map { .real($0.milliseconds) } ?? .null,
                             .integer(Int64(s.signalingLost))])
            let sessionID = database.lastInsertedRowID
            for c in s.candidates {
                try candidate.run([.integer(sessionID), .text(c.agent), .text(c.type), .text(c.transport), .text(c.address.description),
                                   .integer(Int64(c.priority)), .real(c.time.milliseconds)])
            }
            for p in s.pairs {
                try pair.run([.integer(sessionID), .text(p.agent), .text(p.localType), .text(p.remoteType), .text(p.local.description),
                              .text(p.remote.description), .text(p.state), .integer(p.nominated ? 1 : 0)])
            }
        }
    }

    private func insertTCPFlows(_ flows: [TCPFlowResult], runID: Int64) throws(ResultStoreError) {
        let flow = try database.cached("""
            INSERT INTO tcp_flows (run_id, flow, kind, sender, receiver, congestion_control, transfer, start_ms, completed_ms,
                                   end_ms, size_bytes, delivered_bytes, retransmissions)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for f in flows {
            try flow.run([.integer(runID), .text(f.flow), .text(f.kind), .text(f.sender), .text(f.receiver), .text(f.congestionControl),
                          .integer(Int64(f.transfer)), .real(f.start.milliseconds), f.completed.map { .real($0.milliseconds) } ?? .null,
                          .real(f.end.milliseconds),
                          f.size.map { .integer($0) } ?? .null, .integer(f.bytesDelivered), .integer(Int64(f.retransmissions))])
        }
    }

    private func insertLinks(_ links: [LinkResult], runID: Int64) throws(ResultStoreError) {
        let row = try database.cached("INSERT INTO links (run_id, \(Self.linkColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for l in links {
            try row.run([.integer(runID), .text(l.link), .text(l.direction), .text(l.aqm), .integer(Int64(l.sentPackets)),
                         .integer(Int64(l.deliveredPackets)), .integer(Int64(l.droppedLoss)), .integer(Int64(l.droppedQueue)),
                         .integer(Int64(l.droppedAQM)), .integer(Int64(l.droppedOther)), .integer(Int64(l.ceMarked)),
                         l.queueDelayP50.map { .real($0.milliseconds) } ?? .null, l.queueDelayP95.map { .real($0.milliseconds) } ?? .null])
        }
    }

    private func insertDataChannels(_ channels: [DataChannelResult], runID: Int64) throws(ResultStoreError) {
        let channel = try database.cached("""
            INSERT INTO data_channels (run_id, session, label, kind, direction, ordered, reliability, channel_open_ms, bytes_sent,
                                       bytes_delivered, completed_ms, goodput_bps, latency_p50_ms, latency_p95_ms, latency_p99_ms,
                                       messages_sent, messages_delivered, messages_abandoned, messages_out_of_order, retransmissions)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        func real(_ value: Double?) -> Statement.Value { value.map { .real($0) } ?? .null }
        for c in channels {
            try channel.run([.integer(runID), .text(c.session), .text(c.label), .text(c.kind), .text(c.direction), .integer(c.ordered ? 1 : 0),
                             .text(c.reliability), real(c.openTime?.milliseconds), .integer(c.bytesSent), .integer(c.bytesDelivered),
                             real(c.completedTime?.milliseconds), real(c.goodput), real(c.latencyP50), real(c.latencyP95), real(c.latencyP99),
                             .integer(Int64(c.messagesSent)), .integer(Int64(c.messagesDelivered)), .integer(Int64(c.messagesAbandoned)),
                             .integer(Int64(c.messagesOutOfOrder)), .integer(Int64(c.retransmissions))])
        }
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }

    // MARK: Reading

    /// A stored run's main row.
    public struct StoredRun: Sendable, Equatable {
        public var id: Int64
        public var sweepID: Int64
        public var runIndex: Int
        public var parameters: String
        public var seed: UInt64
        public var outcome: String
    }

    /// Runs in (sweep, index) order, optionally of one sweep.
    public func runs(sweepID: Int64? = nil) throws(ResultStoreError) -> [StoredRun] {
        var result: [StoredRun] = []
        let sql = "SELECT id, sweep_id, run_index, parameters, seed, outcome FROM runs"
            + (sweepID == nil ? "" : " WHERE sweep_id = ?") + " ORDER BY sweep_id, run_index"
        try database.prepare(sql).query(sweepID.map { [.integer($0)] } ?? []) { row in
            result.append(StoredRun(id: row.int(0), sweepID: row.int(1), runIndex: Int(row.int(2)), parameters: row.text(3),
                                    seed: UInt64(bitPattern: row.int(4)), outcome: row.text(5)))
        }
        return result
    }

    /// The newest sweep's ID.
    public func latestSweepID() throws(ResultStoreError) -> Int64? {
        var id: Int64?
        try database.prepare("SELECT MAX(id) FROM sweeps").query { row in if !row.isNull(0) { id = row.int(0) } }
        return id
    }

    /// Rows of an arbitrary read-only query as text (for reports and tests).
    public func rows(_ sql: String) throws(ResultStoreError) -> [[String?]] {
        var result: [[String?]] = []
        let statement = try database.prepare(sql)
        try statement.query { row in
            result.append((0..<row.columnCount).map { row.optionalText($0) })
        }
        return result
    }
}
