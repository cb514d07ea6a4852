import TestSupport
import Testing
@testable import Bench

/// The TURN load of `icelab bench turn` against the live server on loopback sockets.
@Suite(.serialized, .liveNetwork) struct LiveTURNTests {
    /// 1000 allocations with traffic: all freed at the end, sockets closed. The load
    /// client gives up on an allocation after the STUN retransmission schedule (39.5 s),
    /// which bounds the test's time; on a loaded machine loopback may drop a datagram
    /// burst, so a handful of failed allocations is tolerated — none may stay allocated.
    @Test func soakFreesEveryAllocationAndSocket() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let run = try await TURNBenchmark.liveRun(slots: 50, allocations: 1000, packetsPerAllocation: 3, window: 3)
        let elapsed = clock.now - start
        #expect(run.outcome.completed + run.outcome.failed == 1000, "\(run.outcome)")
        #expect(run.outcome.failed <= 10, "\(run.outcome)")
        #expect(run.server.allocationsActive == 0)
        #expect(run.openSockets == 1, "only the listening socket is left")
        print("TURN soak: 1000 allocations with 3 echoes each in \(elapsed); lost \(run.outcome.lost)")
    }

    @Test func benchmarkProducesEveryFigure() async throws {
        let report = try await TURNBenchmark.run(.tiny, repetitions: 1)
        for key in ["live_allocations_per_s", "live_relayed_packets_per_s", "core_relayed_packets_per_s", "tls_allocations_per_s"] {
            let value = report.value(key)
            #expect(value != nil && value! > 0, "\(key)")
        }
    }
}
