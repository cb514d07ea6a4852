import NetTypes
import Scenario

/// `icelab bench cc`: how fast a GCC video call simulates (target: ≥ 300× real
/// time, docs/performance.md). One call of `seconds` over a 2.5 Mbps bottleneck with
/// 50 ms one-way latency and a 300 ms queue, sender and receiver cores on simulated
/// hosts under `SimCoreDriver`.
public enum CongestionBenchmark {
    public static func run(seconds: Int64 = 60, repetitions: Int = 3) -> BenchmarkReport {
        var call: SimulatedCall?
        let wall = WallClock.bestSeconds(repetitions: repetitions) {
            let c = SimulatedCall(capacity: .kbps(2500))
            c.run(for: .seconds(seconds))
            call = c
        }
        var report = BenchmarkReport()
        report.add("sim_speedup", Double(seconds) / wall, label: "sim speed-up, \(seconds) s GCC call at 2.5 Mbps (sim s / wall s)")
        report.add("call_wall_s", wall, label: "GCC call, wall seconds")
        guard let call else { return report }
        let settled = min(10, seconds / 2)
        let steady = (Instant.zero + .seconds(settled))..<(Instant.zero + .seconds(seconds))
        report.add("events", Double(call.simulation.eventsProcessed), label: "GCC call, simulator events")
        report.add("mean_target_bps", call.sender.metrics.targetRate.mean(in: steady) ?? 0, label: "mean target rate after \(settled) s, bps")
        report.add("mean_received_bps", call.receiver.metrics.receivedRate.mean(in: steady) ?? 0, label: "mean received rate after \(settled) s, bps")
        report.add("p95_queuing_delay_ms", call.receiver.metrics.queuingDelay.percentile(0.95, in: steady) ?? 0,
                   label: "p95 queuing delay after \(settled) s, ms")
        return report
    }
}
