import Foundation
import Records

/// Typed read queries for reports: each returns whole result sets of one sweep (or one
/// run) in a single statement, so that a report over 10,000 runs makes a handful of
/// queries rather than one per run.
extension ResultStore {
    /// The sweep with `id`, or nil.
    public func sweep(id: Int64) throws(ResultStoreError) -> StoredSweep? {
        var sweep: StoredSweep?
        try database.prepare("""
            SELECT id, scenario_name, scenario_path, icelab_version, started_at, finished_at, run_count, wall_s, backend, population
            FROM sweeps WHERE id = ?
            """).query([.integer(id)]) { row in
            sweep = StoredSweep(id: row.int(0), scenarioName: row.text(1), scenarioPath: row.text(2), icelabVersion: row.text(3),
                                startedAt: row.text(4), finishedAt: row.optionalText(5), runCount: Int(row.int(6)),
                                wallSeconds: row.optionalDouble(7), backend: row.text(8),
                                population: row.optionalText(9).flatMap { try? JSONDecoder().decode(PopulationWeights.self, from: Data($0.utf8)) })
        }
        return sweep
    }

    /// The sweep's runs in run order, each with its swept parameters.
    public func runSummaries(sweepID: Int64) throws(ResultStoreError) -> [StoredRunSummary] {
        var parameters: [Int64: [StoredParameter]] = [:]
        try database.prepare("""
            SELECT p.run_id, p.name, p.value FROM run_parameters p JOIN runs r ON r.id = p.run_id
            WHERE r.sweep_id = ? ORDER BY p.rowid
            """).query([.integer(sweepID)]) { row in
            parameters[row.int(0), default: []].append(StoredParameter(name: row.text(1), value: row.text(2)))
        }
        var runs: [StoredRunSummary] = []
        try database.prepare("""
            SELECT id, run_index, seed, outcome, error, wall_ms, simulated_ms FROM runs WHERE sweep_id = ? ORDER BY run_index
            """).query([.integer(sweepID)]) { row in
            let id = row.int(0)
            runs.append(StoredRunSummary(id: id, runIndex: Int(row.int(1)), parameters: parameters[id] ?? [],
                                         seed: UInt64(bitPattern: row.int(2)), outcome: row.text(3), error: row.optionalText(4),
                                         wallMilliseconds: row.double(5), simulatedMilliseconds: row.double(6)))
        }
        return runs
    }

    /// Every ICE session of the sweep's runs.
    public func sessions(sweepID: Int64) throws(ResultStoreError) -> [StoredSession] {
        try collect("""
            SELECT s.run_id, s.name, s.connected, s.connected_ms, s.nominated_ms, s.local_type, s.remote_type, s.protocol, s.relay_used,
                   s.relay_protocol, s.dtls_state, s.dtls_ms, s.first_media_ms, s.dtls_failure, s.signaling_ms
            FROM sessions s JOIN runs r ON r.id = s.run_id WHERE r.sweep_id = ? ORDER BY s.id
            """, [.integer(sweepID)]) { row in
            StoredSession(runID: row.int(0), name: row.text(1), connected: row.int(2) != 0,
                connectedMilliseconds: row.optionalDouble(3), nominatedMilliseconds: row.optionalDouble(4),
                localType: row.optionalText(5), remoteType: row.optionalText(6), transport: row.optionalText(7), relayUsed: row.int(8) != 0,
                relayProtocol: row.optionalText(9), dtlsState: row.optionalText(10), dtlsMilliseconds: row.optionalDouble(11),
                firstMediaMilliseconds: row.optionalDouble(12), dtlsFailure: row.optionalText(13),
                signalingMilliseconds: row.optionalDouble(14))
        }
    }

    /// Every ICE session in the database with the run it belongs to (scenario version,
    /// parameters, seed) and its sweep's backend: the cells `icelab compare --cells`
    /// matches between a simulator database and a netns one.
    public func sessionCells() throws(ResultStoreError) -> [StoredSessionCell] {
        try collect("""
            SELECT w.backend, w.scenario_name, r.scenario_hash, r.parameters, r.seed,
                   s.run_id, s.name, s.connected, s.connected_ms, s.local_type, s.remote_type, s.relay_used, s.dtls_state
            FROM sessions s JOIN runs r ON r.id = s.run_id JOIN sweeps w ON w.id = r.sweep_id ORDER BY r.run_index, s.id
            """, []) { row in
            StoredSessionCell(backend: row.text(0), scenarioName: row.text(1), scenarioHash: row.text(2), parameters: row.text(3),
                              seed: UInt64(bitPattern: row.int(4)),
                              session: StoredSession(runID: row.int(5), name: row.text(6), connected: row.int(7) != 0,
                                                     connectedMilliseconds: row.optionalDouble(8), nominatedMilliseconds: nil,
                                                     localType: row.optionalText(9), remoteType: row.optionalText(10), transport: nil,
                                                     relayUsed: row.int(11) != 0, dtlsState: row.optionalText(12)))
        }
    }

    /// Every expectation result of the sweep's runs.
    public func expectations(sweepID: Int64) throws(ResultStoreError) -> [StoredExpectation] {
        try collect("""
            SELECT e.run_id, e.expectation, e.passed, e.message
            FROM expectations e JOIN runs r ON r.id = e.run_id WHERE r.sweep_id = ? ORDER BY e.rowid
            """, [.integer(sweepID)]) { row in
            StoredExpectation(runID: row.int(0), expectation: row.text(1), passed: row.int(2) != 0,
                message: row.text(3))
        }
    }

    /// A run's events in time order, at most `limit`.
    public func events(runID: Int64, limit: Int) throws(ResultStoreError) -> [StoredEvent] {
        try collect("""
            SELECT time_ms, session, source, kind, detail FROM events WHERE run_id = ? ORDER BY time_ms, rowid LIMIT ?
            """, [.integer(runID), .integer(Int64(limit))]) { row in
            StoredEvent(timeMilliseconds: row.double(0), session: row.optionalText(1), source: row.text(2),
                kind: row.text(3), detail: row.text(4))
        }
    }

    /// Candidates gathered in a run, in time order.
    public func candidates(runID: Int64) throws(ResultStoreError) -> [StoredCandidate] {
        try collect("""
            SELECT s.name, c.agent, c.type, c.transport, c.address, c.time_ms
            FROM candidates c JOIN sessions s ON s.id = c.session_id WHERE s.run_id = ? ORDER BY c.time_ms, c.rowid
            """, [.integer(runID)]) { row in
            StoredCandidate(session: row.text(0), agent: row.text(1), type: row.text(2), transport: row.text(3),
                address: row.text(4), timeMilliseconds: row.double(5))
        }
    }

    /// Candidate pairs of a run with their final states.
    public func pairs(runID: Int64) throws(ResultStoreError) -> [StoredPair] {
        try collect("""
            SELECT s.name, p.agent, p.local_type, p.remote_type, p.local, p.remote, p.state, p.nominated
            FROM pairs p JOIN sessions s ON s.id = p.session_id WHERE s.run_id = ? ORDER BY p.rowid
            """, [.integer(runID)]) { row in
            StoredPair(session: row.text(0), agent: row.text(1), localType: row.text(2), remoteType: row.text(3),
                local: row.text(4), remote: row.text(5), state: row.text(6), nominated: row.int(7) != 0)
        }
    }

    /// A run's samples of the series named `names`, in time order.
    public func samples(runID: Int64, names: [String]) throws(ResultStoreError) -> [StoredSample] {
        let placeholders = names.map { _ in "?" }.joined(separator: ", ")
        return try collect("""
            SELECT session, name, time_ms, value FROM series WHERE run_id = ? AND name IN (\(placeholders)) ORDER BY name, time_ms
            """, [.integer(runID)] + names.map { .text($0) }) { row in
            StoredSample(session: row.optionalText(0), name: row.text(1), timeMilliseconds: row.double(2),
                value: row.double(3))
        }
    }

    /// Mean and maximum per run of the series named `names`, over the sweep's runs.
    public func seriesAggregates(sweepID: Int64, names: [String]) throws(ResultStoreError) -> [StoredSeriesAggregate] {
        let placeholders = names.map { _ in "?" }.joined(separator: ", ")
        return try collect("""
            SELECT s.run_id, s.name, AVG(s.value), MAX(s.value), COUNT(*), SUM(s.value)
            FROM series s JOIN runs r ON r.id = s.run_id
            WHERE r.sweep_id = ? AND s.name IN (\(placeholders)) GROUP BY s.run_id, s.name ORDER BY s.run_id, s.name
            """, [.integer(sweepID)] + names.map { .text($0) }) { row in
            StoredSeriesAggregate(runID: row.int(0), name: row.text(1), mean: row.double(2),
                maximum: row.double(3), count: Int(row.int(4)), sum: row.double(5))
        }
    }

    /// Every TCP cross-traffic connection of the sweep's runs, by run, flow and transfer.
    public func tcpFlows(sweepID: Int64) throws(ResultStoreError) -> [StoredTCPFlow] {
        try collect("""
            SELECT f.run_id, f.flow, f.kind, f.congestion_control, f.transfer, f.start_ms, f.completed_ms, f.end_ms, f.size_bytes,
                   f.delivered_bytes, f.retransmissions
            FROM tcp_flows f JOIN runs r ON r.id = f.run_id WHERE r.sweep_id = ? ORDER BY f.run_id, f.flow, f.transfer
            """, [.integer(sweepID)]) { row in
            StoredTCPFlow(runID: row.int(0), flow: row.text(1), kind: row.text(2), congestionControl: row.text(3),
                transfer: Int(row.int(4)), startMilliseconds: row.double(5), completedMilliseconds: row.optionalDouble(6),
                endMilliseconds: row.double(7), sizeBytes: row.optionalInt(8), deliveredBytes: row.int(9), retransmissions: Int(row.int(10)))
        }
    }

    /// Every link direction the sweep's runs recorded, by run, link and direction.
    public func links(sweepID: Int64) throws(ResultStoreError) -> [StoredLink] {
        try collect("""
            SELECT l.run_id, l.link, l.direction, l.aqm, l.sent_packets, l.delivered_packets, l.dropped_loss, l.dropped_queue,
                   l.dropped_aqm, l.dropped_other, l.ce_marked, l.queue_delay_p50_ms, l.queue_delay_p95_ms
            FROM links l JOIN runs r ON r.id = l.run_id WHERE r.sweep_id = ? ORDER BY l.run_id, l.link, l.direction
            """, [.integer(sweepID)]) { row in
            StoredLink(runID: row.int(0), link: row.text(1), direction: row.text(2), aqm: row.text(3), sentPackets: Int(row.int(4)),
                       deliveredPackets: Int(row.int(5)), droppedLoss: Int(row.int(6)), droppedQueue: Int(row.int(7)),
                       droppedAQM: Int(row.int(8)), droppedOther: Int(row.int(9)), ceMarked: Int(row.int(10)),
                       queueDelayP50: row.optionalDouble(11), queueDelayP95: row.optionalDouble(12))
        }
    }

    /// Every data channel of the sweep's runs, by run, session and label.
    public func dataChannels(sweepID: Int64) throws(ResultStoreError) -> [StoredDataChannel] {
        try collect("""
            SELECT c.run_id, c.session, c.label, c.kind, c.direction, c.ordered, c.reliability, c.channel_open_ms, c.bytes_sent,
                   c.bytes_delivered, c.completed_ms, c.goodput_bps, c.latency_p50_ms, c.latency_p95_ms, c.latency_p99_ms,
                   c.messages_sent, c.messages_delivered, c.messages_abandoned, c.messages_out_of_order, c.retransmissions
            FROM data_channels c JOIN runs r ON r.id = c.run_id WHERE r.sweep_id = ? ORDER BY c.run_id, c.session, c.label
            """, [.integer(sweepID)]) { row in
            StoredDataChannel(
                runID: row.int(0), session: row.text(1), label: row.text(2), kind: row.text(3), direction: row.text(4), ordered: row.int(5) != 0,
                reliability: row.text(6), openMilliseconds: row.optionalDouble(7), bytesSent: row.int(8), bytesDelivered: row.int(9),
                completedMilliseconds: row.optionalDouble(10), goodput: row.optionalDouble(11), latencyP50: row.optionalDouble(12),
                latencyP95: row.optionalDouble(13), latencyP99: row.optionalDouble(14), messagesSent: Int(row.int(15)),
                messagesDelivered: Int(row.int(16)), messagesAbandoned: Int(row.int(17)), messagesOutOfOrder: Int(row.int(18)),
                retransmissions: Int(row.int(19)))
        }
    }

    /// The rows of `sql` with `values` bound, each made into a `T` by `make`.
    private func collect<T>(_ sql: String, _ values: [Statement.Value], _ make: (Statement) -> T) throws(ResultStoreError) -> [T] {
        var result: [T] = []
        try database.prepare(sql).query(values) { row in result.append(make(row)) }
        return result
    }
}
