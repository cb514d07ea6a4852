extension ResultStore {
    /// Copies every run of the database at `path` (a shard's) into this one, in one
    /// transaction. Runs already present (same scenario hash, parameters and seed) are
    /// skipped; IDs are renumbered. Returns the number of runs copied.
    @discardableResult
    public func merge(from path: String) throws(ResultStoreError) -> Int {
        _ = try ResultStore(path: path)   // brings the shard to this schema version
        try database.prepare("ATTACH DATABASE ? AS shard").run([.text(path)])
        defer { try? database.execute("DETACH DATABASE shard") }
        return try database.transaction { () throws(ResultStoreError) -> Int in
            func offset(_ table: String) throws(ResultStoreError) -> Int64 {
                var value: Int64 = 0
                try database.prepare("SELECT COALESCE(MAX(id), 0) FROM main.\(table)").query { row in value = row.int(0) }
                return value
            }
            let sweepOffset = try offset("sweeps"), runOffset = try offset("runs"), sessionOffset = try offset("sessions")
            try database.execute("""
                CREATE TEMP TABLE merged_runs AS
                SELECT id FROM shard.runs s
                WHERE NOT EXISTS (SELECT 1 FROM main.runs m WHERE m.scenario_hash = s.scenario_hash
                                  AND m.parameters = s.parameters AND m.seed = s.seed);
                """)
            defer { try? database.execute("DROP TABLE temp.merged_runs") }
            try database.execute("""
                INSERT INTO main.sweeps (id, scenario_name, scenario_path, scenario_hash, icelab_version, started_at,
                                         finished_at, run_count, shard, wall_s, backend, population)
                SELECT id + \(sweepOffset), scenario_name, scenario_path, scenario_hash, icelab_version, started_at,
                       finished_at, run_count, shard, wall_s, backend, population FROM shard.sweeps
                WHERE id IN (SELECT sweep_id FROM shard.runs WHERE id IN (SELECT id FROM temp.merged_runs));
                INSERT INTO main.runs (id, sweep_id, run_index, scenario_hash, parameters, seed, icelab_version, outcome,
                                       error, wall_ms, simulated_ms, simulator_events)
                SELECT id + \(runOffset), sweep_id + \(sweepOffset), run_index, scenario_hash, parameters, seed,
                       icelab_version, outcome, error, wall_ms, simulated_ms, simulator_events
                FROM shard.runs WHERE id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.run_parameters (run_id, name, value)
                SELECT run_id + \(runOffset), name, value FROM shard.run_parameters
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.sessions (id, run_id, name, offerer, answerer, connected, connect_ms, selected_ms,
                                           connected_ms, nominated_ms, local_type, remote_type, protocol, final_state, checks_sent, checks_received,
                                           checks_retransmitted, stun_bytes, pairs_formed, relay_used, relay_protocol,
                                           dtls_state, dtls_ms, first_media_ms, dtls_retransmissions, dtls_failure, srtp_profile,
                                           signaling_ms, signaling_lost)
                SELECT id + \(sessionOffset), run_id + \(runOffset), name, offerer, answerer, connected, connect_ms,
                       selected_ms, connected_ms, nominated_ms, local_type, remote_type, protocol, final_state, checks_sent, checks_received,
                       checks_retransmitted, stun_bytes, pairs_formed, relay_used, relay_protocol,
                       dtls_state, dtls_ms, first_media_ms, dtls_retransmissions, dtls_failure, srtp_profile,
                       signaling_ms, signaling_lost
                FROM shard.sessions WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.candidates (session_id, agent, type, transport, address, priority, time_ms)
                SELECT c.session_id + \(sessionOffset), c.agent, c.type, c.transport, c.address, c.priority, c.time_ms
                FROM shard.candidates c JOIN shard.sessions s ON s.id = c.session_id
                WHERE s.run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.pairs (session_id, agent, local_type, remote_type, local, remote, state, nominated)
                SELECT p.session_id + \(sessionOffset), p.agent, p.local_type, p.remote_type, p.local, p.remote, p.state, p.nominated
                FROM shard.pairs p JOIN shard.sessions s ON s.id = p.session_id
                WHERE s.run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.events (run_id, session, time_ms, source, kind, detail)
                SELECT run_id + \(runOffset), session, time_ms, source, kind, detail FROM shard.events
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.expectations (run_id, expectation, passed, message)
                SELECT run_id + \(runOffset), expectation, passed, message FROM shard.expectations
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.series (run_id, session, name, time_ms, value)
                SELECT run_id + \(runOffset), session, name, time_ms, value FROM shard.series
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.tcp_flows (run_id, flow, kind, sender, receiver, congestion_control, transfer, start_ms,
                                            completed_ms, end_ms, size_bytes, delivered_bytes, retransmissions)
                SELECT run_id + \(runOffset), flow, kind, sender, receiver, congestion_control, transfer, start_ms,
                       completed_ms, end_ms, size_bytes, delivered_bytes, retransmissions FROM shard.tcp_flows
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.data_channels (run_id, \(Self.dataChannelColumns))
                SELECT run_id + \(runOffset), \(Self.dataChannelColumns) FROM shard.data_channels
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                INSERT INTO main.links (run_id, \(Self.linkColumns))
                SELECT run_id + \(runOffset), \(Self.linkColumns) FROM shard.links
                WHERE run_id IN (SELECT id FROM temp.merged_runs);
                """)
            var copied = 0
            try database.prepare("SELECT COUNT(*) FROM temp.merged_runs").query { row in copied = Int(row.int(0)) }
            return copied
        }
    }
}

extension ResultStore {
    /// The columns of `data_channels` after `run_id`, as merge copies them.
    static let dataChannelColumns = """
        session, label, kind, direction, ordered, reliability, channel_open_ms, bytes_sent, bytes_delivered, completed_ms, \
        goodput_bps, latency_p50_ms, latency_p95_ms, latency_p99_ms, messages_sent, messages_delivered, messages_abandoned, \
        messages_out_of_order, retransmissions
        """

    /// The columns of `links` after `run_id`, as `record` writes them and merge copies them.
    static let linkColumns = """
        link, direction, aqm, sent_packets, delivered_packets, dropped_loss, dropped_queue, dropped_aqm, dropped_other, \
        ce_marked, queue_delay_p50_ms, queue_delay_p95_ms
        """
}
