import Foundation
import NetTypes
import Records
import Testing
@testable import Results

@Suite struct ResultStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("icelab-\(UUID().uuidString).sqlite").path
    }

    static func sampleRun(index: Int, seed: UInt64, parameters: [(String, String)] = [("home.mapping", "endpoint-independent")]) -> RunResult {
        let session = SessionResult(
            name: "call", offerer: "alice", answerer: "bob", connected: true, connectedTime: .milliseconds(240),
            nominatedTime: .milliseconds(260), selectedLocalType: "srflx", selectedRemoteType: "prflx", selectedProtocol: "udp",
            finalState: "completed", checksSent: 12, checksReceived: 10, checksRetransmitted: 2, stunBytes: 2400, pairsFormed: 6,
            relayUsed: true, relayProtocol: "tls", dtlsState: "connected", dtlsTime: .milliseconds(410), firstMediaTime: .milliseconds(455),
            dtlsRetransmissions: 1, srtpProfile: "SRTP_AEAD_AES_128_GCM", signalingTime: .milliseconds(100), signalingLost: 2, candidates: [CandidateRecord(agent: "offerer", type: "host", transport: "udp", address: Endpoint(.v4(IPv4Address(192, 168, 1, 2)), 50000),
                                         priority: 2_130_706_431, time: .zero)],
            pairs: [PairRecord(agent: "offerer", localType: "srflx", remoteType: "prflx", local: Endpoint(.v4(IPv4Address(203, 0, 113, 1)), 1),
                               remote: Endpoint(.v4(IPv4Address(198, 51, 100, 1)), 2), state: "succeeded", nominated: true)])
        return RunResult(runIndex: index, parameters: SweepPoint(assignments: parameters.map { (name: $0.0, value: $0.1) }),
                         seed: seed, outcome: .passed, wallSeconds: 0.01, simulatedTime: .seconds(30), simulatorEvents: 1234,
                         sessions: [session],
                         events: [TimelineRecord(time: .milliseconds(240), session: "call", source: "offerer", kind: "state", detail: "connected")],
                         expectations: [ExpectationResult(description: "call connected-within 2s", passed: true, message: "connected after 240ms")],
                         series: [SeriesSample(session: "call", name: "rtt_ms", time: .seconds(1), value: 42)],
                         tcpFlows: [TCPFlowResult(flow: "web", kind: "tcp-web", sender: "a", receiver: "b", congestionControl: "newreno",
                                                  transfer: 3, start: .seconds(2), completed: .milliseconds(2750), end: .milliseconds(2750), size: 300_000,
                                                  bytesDelivered: 300_000, retransmissions: 2)],
                         dataChannels: [sampleChannel],
                         links: [LinkResult(link: "home-internet", direction: "forward", aqm: "fq-codel", sentPackets: 1000,
                                            deliveredPackets: 990, droppedLoss: 1, droppedQueue: 2, droppedAQM: 7, droppedOther: 0,
                                            ceMarked: 40, queueDelayP50: .milliseconds(3), queueDelayP95: nil)])
    }

    static let sampleChannel = DataChannelResult(
        session: "call", label: "file", kind: "file", direction: "offerer-to-answerer", ordered: true, reliability: "reliable",
        openTime: .milliseconds(520), bytesSent: 5_000_000, bytesDelivered: 5_000_000, completedTime: .milliseconds(6200),
        goodput: 7_040_000, latencyP50: 80, latencyP95: 120, latencyP99: nil, messagesSent: 77, messagesDelivered: 77,
        messagesAbandoned: 0, messagesOutOfOrder: 0, retransmissions: 12)

    @Test func migratesAndRecordsARunWithEverything() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try ResultStore(path: path)
        #expect(try store.schemaVersion() == 9)
        let sweep = try store.startSweep(name: "quickstart", path: "Scenarios/quickstart.yaml", scenarioHash: "abc", version: "0.1.0",
                                         runCount: 2, shard: nil)
        try store.record(Self.sampleRun(index: 0, seed: 1), sweepID: sweep, scenarioHash: "abc", version: "0.1.0")
        try store.finishSweep(sweep, wallSeconds: 0.5)
        #expect(try store.runs(sweepID: sweep).map(\.outcome) == ["passed"])
        #expect(try store.rows("SELECT local_type, remote_type, connected_ms, nominated_ms, connect_ms, relay_protocol FROM sessions")
                == [["srflx", "prflx", "240.0", "260.0", nil, "tls"]])
        #expect(try store.sessions(sweepID: sweep).map(\.path) == ["relayed/tls"])
        #expect(try store.rows("SELECT dtls_state, dtls_ms, first_media_ms, dtls_retransmissions, dtls_failure, srtp_profile FROM sessions")
                == [["connected", "410.0", "455.0", "1", nil, "SRTP_AEAD_AES_128_GCM"]])
        let stored = try #require(try store.sessions(sweepID: sweep).first)
        #expect(stored.dtlsState == "connected" && stored.dtlsMilliseconds == 410 && stored.firstMediaMilliseconds == 455)
        #expect(try store.rows("SELECT signaling_ms, signaling_lost FROM sessions") == [["100.0", "2"]])
        #expect(stored.signalingMilliseconds == 100)
        #expect(try store.rows("SELECT COUNT(*) FROM candidates")[0][0] == "1")
        #expect(try store.rows("SELECT nominated FROM pairs")[0][0] == "1")
        #expect(try store.rows("SELECT name, value FROM run_parameters") == [["home.mapping", "endpoint-independent"]])
        #expect(try store.rows("SELECT kind, detail FROM events") == [["state", "connected"]])
        #expect(try store.rows("SELECT value FROM series WHERE name = 'rtt_ms'") == [["42.0"]])
        #expect(try store.rows("SELECT wall_s IS NOT NULL FROM sweeps") == [["1"]])
        #expect(try store.rows("SELECT flow, transfer, start_ms, completed_ms, size_bytes, delivered_bytes, retransmissions FROM tcp_flows")
                == [["web", "3", "2000.0", "2750.0", "300000", "300000", "2"]])
        #expect(try store.rows("SELECT session, label, channel_open_ms, completed_ms, goodput_bps, latency_p99_ms, retransmissions FROM data_channels")
                == [["call", "file", "520.0", "6200.0", "7040000.0", nil, "12"]])
        #expect(try store.rows("SELECT link, direction, aqm, sent_packets, dropped_aqm, ce_marked, queue_delay_p50_ms, queue_delay_p95_ms FROM links")
                == [["home-internet", "forward", "fq-codel", "1000", "7", "40", "3.0", nil]])
        #expect(try store.links(sweepID: sweep).map(\.ceMarked) == [40])
        let channel = try #require(try store.dataChannels(sweepID: sweep).first)
        #expect(channel.openMilliseconds == 520 && channel.completedMilliseconds == 6200 && channel.latencyP95 == 120)
        #expect(channel.bytesDelivered == 5_000_000 && channel.messagesSent == 77 && channel.ordered && channel.reliability == "reliable")
        // Reopening does not migrate again.
        let again = try ResultStore(path: path)
        #expect(try again.schemaVersion() == 9)
        #expect(try again.completedRuns(scenarioHash: "abc") == [RunKey(parameters: "home.mapping=endpoint-independent", seed: 1)])
        #expect(try again.completedRuns(scenarioHash: "other").isEmpty)
    }

    /// A sweep records where it ran; the sessions of a database come back as cells with
    /// their run's key and backend (what `compare --cells` matches).
    @Test func sweepsRecordTheirBackend() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try ResultStore(path: path)
        #expect(try store.backends(scenarioHash: "abc").isEmpty)
        let sweep = try store.startSweep(name: "quickstart", path: "q.yaml", scenarioHash: "abc", version: "0.1.0", runCount: 1,
                                         shard: nil, backend: "netns")
        try store.record(Self.sampleRun(index: 0, seed: 7), sweepID: sweep, scenarioHash: "abc", version: "0.1.0")
        #expect(try store.backends(scenarioHash: "abc") == ["netns"])
        #expect(try store.backends(scenarioHash: "other").isEmpty)
        let cells = try store.sessionCells()
        #expect(cells.map(\.backend) == ["netns"] && cells.map(\.seed) == [7] && cells.map(\.session.name) == ["call"])
        #expect(cells.first?.session.localType == "srflx" && cells.first?.session.relayUsed == true)
    }

    @Test func aRunIsAllOrNothing() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "x", path: "x.yaml", scenarioHash: "h", version: "0", runCount: 1, shard: nil)
        try store.record(Self.sampleRun(index: 0, seed: 1), sweepID: sweep, scenarioHash: "h", version: "0")
        // The same run again (another writer's copy) is dropped whole: nothing of it may remain.
        #expect(try store.record(Self.sampleRun(index: 0, seed: 1), sweepID: sweep, scenarioHash: "h", version: "0") == false)
        #expect(try store.rows("SELECT COUNT(*) FROM runs")[0][0] == "1")
        #expect(try store.rows("SELECT COUNT(*) FROM sessions")[0][0] == "1")
        #expect(try store.rows("SELECT COUNT(*) FROM events")[0][0] == "1")
    }

    @Test func schemaTwoKeepsOlderRowsAsNominationTimes() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A version-1 database with one session, as icelab recorded it before schema 2.
        let old = try SQLiteDatabase(path: path)
        try old.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); INSERT INTO schema_migrations VALUES (1);")
        try old.execute(Schema.migrations[0])
        try old.execute("""
            INSERT INTO sweeps VALUES (1, 'q', 'q.yaml', 'h', '0', '', NULL, 1, NULL, NULL);
            INSERT INTO runs VALUES (1, 1, 0, 'h', '', 1, '0', 'passed', NULL, 1, 1, 1);
            INSERT INTO sessions (run_id, name, offerer, answerer, connected, connect_ms, selected_ms, final_state, checks_sent,
                                  checks_received, checks_retransmitted, stun_bytes, pairs_formed, relay_used)
            VALUES (1, 'call', 'a', 'b', 1, 866.0, 866.0, 'completed', 1, 1, 0, 1, 1, 0);
            """)
        let store = try ResultStore(path: path)
        #expect(try store.schemaVersion() == 9)
        // The agent then connected only once nominated: no browser figure, the nomination time.
        #expect(try store.rows("SELECT connected_ms, nominated_ms FROM sessions") == [[nil, "866.0"]])
    }

    @Test func unreadableDatabaseIsAClearError() {
        #expect(throws: ResultStoreError.self) { try ResultStore(path: "/nonexistent-dir/x.sqlite") }
    }
}

@Suite struct ResultMergeTests {
    @Test func shardsMergeIntoOneDatabaseWithoutDuplicates() throws {
        let paths = (0..<3).map { _ in ResultStoreTests.temporaryPath() }
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let target = try ResultStore(path: paths[0])
        for (shard, path) in paths[1...].enumerated() {
            let store = try ResultStore(path: path)
            let sweep = try store.startSweep(name: "s", path: "s.yaml", scenarioHash: "h", version: "0", runCount: 4, shard: "\(shard)/2")
            for seed in stride(from: UInt64(shard + 1), through: 4, by: 2) {
                try store.record(ResultStoreTests.sampleRun(index: Int(seed) - 1, seed: seed), sweepID: sweep, scenarioHash: "h", version: "0")
            }
        }
        #expect(try target.merge(from: paths[1]) == 2)
        #expect(try target.merge(from: paths[2]) == 2)
        #expect(try target.merge(from: paths[1]) == 0)   // idempotent
        #expect(try target.rows("SELECT seed FROM runs ORDER BY seed").map { $0[0] } == ["1", "2", "3", "4"])
        #expect(try target.rows("SELECT COUNT(*) FROM sessions")[0][0] == "4")
        #expect(try target.rows("SELECT COUNT(*) FROM candidates c JOIN sessions s ON s.id = c.session_id JOIN runs r ON r.id = s.run_id")[0][0] == "4")
        #expect(try target.rows("SELECT COUNT(*) FROM sweeps")[0][0] == "2")
        #expect(try target.rows("SELECT COUNT(*) FROM tcp_flows f JOIN runs r ON r.id = f.run_id")[0][0] == "4")
        #expect(try target.rows("SELECT COUNT(*), SUM(ce_marked) FROM links l JOIN runs r ON r.id = l.run_id") == [["4", "160"]])
        #expect(try target.rows("SELECT COUNT(*), MIN(label), MAX(goodput_bps) FROM data_channels c JOIN runs r ON r.id = c.run_id")
                == [["4", "file", "7040000.0"]])
        #expect(try target.rows("SELECT DISTINCT dtls_state, dtls_ms, first_media_ms, srtp_profile FROM sessions")
                == [["connected", "410.0", "455.0", "SRTP_AEAD_AES_128_GCM"]])
    }
}
