import Congestion
import NetTypes
import Scenario

/// `icelab bench cc [--controller NAME]`: how fast a video call simulates (target: ≥ 300×
/// real time, docs/performance.md). One call of `seconds` over a 2.5 Mbps bottleneck with
/// 50 ms one-way latency and a 300 ms queue, sender and receiver cores on simulated
/// hosts under `SimCoreDriver`. GCC runs with libwebrtc's default rates (30 kbps -
/// 10 Mbps); other controllers with the RFC 8867 suite's (150 kbps - 2.5 Mbps), as NADA's
/// equilibrium queuing delay scales with RMAX. Then, from the repository's root,
/// `suite_wall_s` (`RmcatSuiteBenchmark`): the whole RFC 8867 suite with every controller.
public enum CongestionBenchmark {
    public static func run(controller: String = ControllerRegistry.defaultName, seconds: Int64 = 60, repetitions: Int = 3) throws(ControllerParameterError) -> BenchmarkReport {
        guard let factory = ControllerRegistry.factory(named: controller) else {
            throw ControllerParameterError(key: nil, "unknown controller '\(controller)'; known controllers: \(ControllerRegistry.names.joined(separator: ", "))")
        }
        let recipe = try factory.recipe()
        let rates = controller == "gcc" ? ControllerRates() : ControllerRates(start: .kbps(300), min: .kbps(150), max: .kbps(2500))
        let name = controller.uppercased()
        var call: SimulatedCall?
        let wall = WallClock.bestSeconds(repetitions: repetitions) {
            let c = SimulatedCall(capacity: .kbps(2500), controller: recipe, rates: rates)
            c.run(for: .seconds(seconds))
            call = c
        }
        var report = BenchmarkReport()
        report.add("sim_speedup", Double(seconds) / wall, label: "sim speed-up, \(seconds) s \(name) call at 2.5 Mbps (sim s / wall s)")
        report.add("call_wall_s", wall, label: "\(name) call, wall seconds")
        if let suite = try? RmcatSuiteBenchmark.wallSeconds() {
            report.add("suite_wall_s", suite.seconds, label: "Scenarios/rmcat with every controller (\(ControllerRegistry.names.joined(separator: ", "))), "
                       + "\(suite.runs) runs one after another (\(suite.failed) failed expectations), wall seconds")
        }
        guard let call else { return report }
        let settled = min(10, seconds / 2)
        let steady = (Instant.zero + .seconds(settled))..<(Instant.zero + .seconds(seconds))
        report.add("events", Double(call.simulation.eventsProcessed), label: "\(name) call, simulator events")
        report.add("mean_target_bps", call.sender.metrics.targetRate.mean(in: steady) ?? 0, label: "mean target rate after \(settled) s, bps")
        report.add("mean_received_bps", call.receiver.metrics.receivedRate.mean(in: steady) ?? 0, label: "mean received rate after \(settled) s, bps")
        report.add("p95_queuing_delay_ms", call.receiver.metrics.queuingDelay.percentile(0.95, in: steady) ?? 0,
                   label: "p95 queuing delay after \(settled) s, ms")
        return report
    }
}
