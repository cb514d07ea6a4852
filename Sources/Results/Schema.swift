/// The results database schema, as ordered migrations. A database records the version it
/// has reached in `schema_migrations`; opening it applies the newer ones in one
/// transaction. Documented for users in docs/results.md.
enum Schema {
    static let migrations: [String] = [
        // 1: sweeps, runs and everything a run records.
        """
        CREATE TABLE sweeps (
            id INTEGER PRIMARY KEY,
            scenario_name TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            icelab_version TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            run_count INTEGER NOT NULL,
            shard TEXT,
            wall_s REAL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            sweep_id INTEGER NOT NULL REFERENCES sweeps(id),
            run_index INTEGER NOT NULL,
            scenario_hash TEXT NOT NULL,
            parameters TEXT NOT NULL,
            seed INTEGER NOT NULL,
            icelab_version TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'error')),
            error TEXT,
            wall_ms REAL NOT NULL,
            simulated_ms REAL NOT NULL,
            simulator_events INTEGER NOT NULL,
            UNIQUE (scenario_hash, parameters, seed)
        );
        CREATE TABLE run_parameters (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            name TEXT NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            name TEXT NOT NULL,
            offerer TEXT NOT NULL,
            answerer TEXT NOT NULL,
            connected INTEGER NOT NULL,
            connect_ms REAL,
            selected_ms REAL,
            local_type TEXT,
            remote_type TEXT,
            protocol TEXT,
            final_state TEXT NOT NULL,
            checks_sent INTEGER NOT NULL,
            checks_received INTEGER NOT NULL,
            checks_retransmitted INTEGER NOT NULL,
            stun_bytes INTEGER NOT NULL,
            pairs_formed INTEGER NOT NULL,
            relay_used INTEGER NOT NULL
        );
        CREATE TABLE candidates (
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            agent TEXT NOT NULL,
            type TEXT NOT NULL,
            transport TEXT NOT NULL,
            address TEXT NOT NULL,
            priority INTEGER NOT NULL,
            time_ms REAL NOT NULL
        );
        CREATE TABLE pairs (
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            agent TEXT NOT NULL,
            local_type TEXT NOT NULL,
            remote_type TEXT NOT NULL,
            local TEXT NOT NULL,
            remote TEXT NOT NULL,
            state TEXT NOT NULL,
            nominated INTEGER NOT NULL
        );
        CREATE TABLE events (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            session TEXT,
            time_ms REAL NOT NULL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE TABLE expectations (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            expectation TEXT NOT NULL,
            passed INTEGER NOT NULL,
            message TEXT NOT NULL
        );
        CREATE TABLE series (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            session TEXT,
            name TEXT NOT NULL,
            time_ms REAL NOT NULL,
            value REAL NOT NULL
        );
        CREATE INDEX runs_by_sweep ON runs (sweep_id, run_index);
        CREATE INDEX parameters_by_run ON run_parameters (run_id);
        CREATE INDEX parameters_by_name ON run_parameters (name, value);
        CREATE INDEX sessions_by_run ON sessions (run_id);
        CREATE INDEX candidates_by_session ON candidates (session_id);
        CREATE INDEX pairs_by_session ON pairs (session_id);
        CREATE INDEX events_by_run ON events (run_id, time_ms);
        CREATE INDEX expectations_by_run ON expectations (run_id);
        CREATE INDEX series_by_run ON series (run_id, name, time_ms);
        """,
        // 2: a session's two connect times: connected_ms, when both agents had a usable
        // pair (a browser's "connected"), and nominated_ms, when both had nominated it.
        // New rows leave connect_ms and selected_ms empty. Rows recorded before connected
        // only once nominated, so their connect_ms is their nominated_ms; they have no
        // connected_ms.
        """
        ALTER TABLE sessions ADD COLUMN connected_ms REAL;
        ALTER TABLE sessions ADD COLUMN nominated_ms REAL;
        UPDATE sessions SET nominated_ms = connect_ms;
        """,
        // 3: the connections of TCP cross traffic (their time series go to `series`,
        // with `session` = the flow's name).
        """
        CREATE TABLE tcp_flows (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            flow TEXT NOT NULL,
            kind TEXT NOT NULL,
            sender TEXT NOT NULL,
            receiver TEXT NOT NULL,
            congestion_control TEXT NOT NULL,
            transfer INTEGER NOT NULL,
            start_ms REAL NOT NULL,
            completed_ms REAL,
            end_ms REAL NOT NULL,
            size_bytes INTEGER,
            delivered_bytes INTEGER NOT NULL,
            retransmissions INTEGER NOT NULL
        );
        CREATE INDEX tcp_flows_by_run ON tcp_flows (run_id, flow, transfer);
        """,
        // 4: how the selected pair's relays reached their TURN servers (udp, tcp, tls).
        """
        ALTER TABLE sessions ADD COLUMN relay_protocol TEXT;
        """,
        // 5: DTLS-SRTP after ICE: the handshake's state, time, retransmissions and failure
        // reason, the SRTP profile, and when the first media frame arrived. Rows recorded
        // before ran without DTLS (dtls_state NULL, as with `dtls: false`).
        """
        ALTER TABLE sessions ADD COLUMN dtls_state TEXT;
        ALTER TABLE sessions ADD COLUMN dtls_ms REAL;
        ALTER TABLE sessions ADD COLUMN first_media_ms REAL;
        ALTER TABLE sessions ADD COLUMN dtls_retransmissions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN dtls_failure TEXT;
        ALTER TABLE sessions ADD COLUMN srtp_profile TEXT;
        """,
        // 6: the data channels of sessions (SCTP over DTLS); their time series go to
        // `series`, with `session` = SESSION/LABEL.
        """
        CREATE TABLE data_channels (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            session TEXT NOT NULL,
            label TEXT NOT NULL,
            kind TEXT NOT NULL,
            direction TEXT NOT NULL,
            ordered INTEGER NOT NULL,
            reliability TEXT NOT NULL,
            channel_open_ms REAL,
            bytes_sent INTEGER NOT NULL,
            bytes_delivered INTEGER NOT NULL,
            completed_ms REAL,
            goodput_bps REAL,
            latency_p50_ms REAL,
            latency_p95_ms REAL,
            latency_p99_ms REAL,
            messages_sent INTEGER NOT NULL,
            messages_delivered INTEGER NOT NULL,
            messages_abandoned INTEGER NOT NULL,
            messages_out_of_order INTEGER NOT NULL,
            retransmissions INTEGER NOT NULL
        );
        CREATE INDEX data_channels_by_run ON data_channels (run_id, session, label);
        """,
        // 7: JSEP in the loop: offer → answer applied (signaling_ms) and signaling
        // messages lost. Rows recorded before had structs for signaling (NULL, 0).
        """
        ALTER TABLE sessions ADD COLUMN signaling_ms REAL;
        ALTER TABLE sessions ADD COLUMN signaling_lost INTEGER NOT NULL DEFAULT 0;
        """,
        // 8: per link direction, what it carried, dropped by reason and marked CE (ECN),
        // and its queueing delay. Runs recorded before have no rows.
        """
        CREATE TABLE links (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            link TEXT NOT NULL,
            direction TEXT NOT NULL,
            aqm TEXT NOT NULL,
            sent_packets INTEGER NOT NULL,
            delivered_packets INTEGER NOT NULL,
            dropped_loss INTEGER NOT NULL,
            dropped_queue INTEGER NOT NULL,
            dropped_aqm INTEGER NOT NULL,
            dropped_other INTEGER NOT NULL,
            ce_marked INTEGER NOT NULL,
            queue_delay_p50_ms REAL,
            queue_delay_p95_ms REAL
        );
        CREATE INDEX links_by_run ON links (run_id, link, direction);
        """,
        // 9: where a sweep ran: `simulator`, or `netns` (real Linux networking in
        // network namespaces; sweeps recorded before ran in the simulator), and the
        // scenario's population weights (JSON of `PopulationWeights`; NULL without).
        """
        ALTER TABLE sweeps ADD COLUMN backend TEXT NOT NULL DEFAULT 'simulator';
        ALTER TABLE sweeps ADD COLUMN population TEXT;
        """,
    ]
}
