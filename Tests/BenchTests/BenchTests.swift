import Congestion
import Testing
@testable import Bench

@Suite struct BenchTests {
    @Test func simBenchmarkProducesEveryFigure() {
        let report = SimBenchmark.run(.tiny, repetitions: 1)
        for key in ["events_per_s", "heap_events_per_s", "packet_hops_per_s", "sim_speedup"] {
            let value = report.value(key)
            #expect(value != nil && value! > 0, "\(key)")
        }
        // 2 s of a 10 Mbps flow of 1200-byte payloads ≈ 2083 packets, 1% lost on the way.
        let received = report.value("flow_packets_received") ?? 0
        #expect(received > 1950 && received < 2083)
        #expect(report.json.hasPrefix("{\"events_per_s\":"))
    }

    @Test func stunBenchmarkProducesEveryFigure() async throws {
        let report = try await STUNBenchmark.run(.tiny, repetitions: 1)
        for key in ["decode_per_s", "encode_integrity_per_s", "live_requests_per_s"] {
            let value = report.value(key)
            #expect(value != nil && value! > 0, "\(key)")
        }
    }

    @Test func dtlsBenchmarkProducesEveryFigure() throws {
        let report = try DTLSBenchmark.run(.tiny, repetitions: 1)
        for key in ["handshakes_per_s", "srtp_protect_per_s", "srtp_sha1_protect_per_s"] {
            let value = report.value(key)
            #expect(value != nil && value! > 0, "\(key)")
        }
        // The in-memory handshake completes and both ends export the same keys.
        #expect(try DTLSBenchmark.handshake(seed: 7))
    }

    @Test func reportBenchmarkProducesEveryFigure() throws {
        let report = try ReportBenchmark.run(.tiny, repetitions: 1)
        #expect((report.value("report_10k_runs_s") ?? 0) > 0)
        #expect((report.value("report_10k_runs_bytes") ?? 0) > 10_000)
        #expect(report.json.hasPrefix("{\"report_10k_runs_s\":"))
    }

    @Test func iceBenchmarkConnectsEverySession() throws {
        let report = try ICEBenchmark.run(sessions: 20, repetitions: 1)
        #expect((report.value("sessions_per_s") ?? 0) > 0)
        #expect(report.value("connected_share") == 1)
        #expect((report.value("candidates_per_session") ?? 0) >= 6)
    }

    @Test(arguments: ["gcc", "nada"]) func congestionBenchmarkProducesEveryFigure(controller: String) throws {
        let report = try CongestionBenchmark.run(controller: controller, seconds: 5, repetitions: 1)
        for key in ["sim_speedup", "call_wall_s", "events", "mean_received_bps"] {
            let value = report.value(key)
            #expect(value != nil && value! > 0, "\(key)")
        }
    }

    @Test func congestionBenchmarkRefusesAnUnknownController() {
        #expect(throws: ControllerParameterError.self) { try CongestionBenchmark.run(controller: "reno", seconds: 1, repetitions: 1) }
    }
}

/// `icelab bench sctp`, small: a data channel transfer through a simulated session.
@Suite struct SCTPBenchTests {
    @Test func sctpBenchmarkProducesEveryFigure() throws {
        let report = try SCTPBenchmark.run(.tiny, repetitions: 1)
        for key in ["sim_speedup", "lossy_transfer_s", "lossy_wall_s", "clean_transfer_s"] {
            #expect((report.value(key) ?? 0) > 0, "\(key)")
        }
        // 300 kB from a cold start (SCTP slow start over a 100 ms RTT) uses part of 10 Mbps.
        let share = report.value("goodput_share") ?? 0
        #expect(share > 0.05 && share < 1, "share \(share)")
    }
}

/// `icelab bench tcp` and the TCP model checks of `bench tcp-model`, small.
@Suite struct TCPBenchTests {
    @Test func tcpBenchmarkProducesEveryFigure() {
        let report = TCPBenchmark.run(.tiny, repetitions: 1)
        for key in ["sim_speedup", "segments_per_s", "flow_wall_s"] {
            #expect((report.value(key) ?? 0) > 0, "\(key)")
        }
        // Slow start from 10 segments over a 60 ms RTT: well under the capacity in 2 s,
        // but the flow is moving.
        let share = report.value("goodput_share") ?? 0
        #expect(share > 0.1 && share < 1, "share \(share)")
    }

    /// One NewReno flow with 1 % random loss lands near the Mathis formula (the 60 s
    /// figure is 0.83; ns-3's Linux Reno gives 1.06, Benchmarks/ns3/tcp-reference.json).
    @Test func mathisFormulaAtOnePercentLoss() {
        let point = TCPValidation.mathis(loss: 0.01, seconds: 30)
        #expect(point.ratio > 0.6 && point.ratio < 1.2, "ratio \(point.ratio)")
    }

    /// Two CUBIC flows with one RTT share the bottleneck fairly, and fill most of it (the
    /// first seconds are slow start).
    @Test func twoCubicFlowsShareFairly() {
        let result = TCPValidation.fairness(congestionControl: .cubic, firstRTT: .milliseconds(60), secondRTT: .milliseconds(60),
                                            seconds: 20)
        #expect(result.jain > 0.95, "Jain \(result.jain)")
        #expect(result.goodputs.reduce(0, +) > 7_500_000)
    }
}
