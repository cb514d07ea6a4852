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

    @Test func congestionBenchmarkProducesEveryFigure() {
        let report = CongestionBenchmark.run(seconds: 5, repetitions: 1)
        for key in ["sim_speedup", "call_wall_s", "events"] {
            let value = report.value(key)
            #expect(value != nil && value! > 0, "\(key)")
        }
    }
}
