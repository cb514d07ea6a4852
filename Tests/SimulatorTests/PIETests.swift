import NetTypes
import Testing
@testable import Simulator

/// PIE's controller (RFC 8033 §4.2) on its own; on links in `AQMTests`.
@Suite struct PIETests {
    @Test func theProbabilityRisesWithDelayAndDecaysWhenIdle() {
        var pie = PIEState(PIEParameters())
        let ms: Int64 = 1_000_000
        // A standing 100 ms queue for 2 s: the probability climbs.
        for t in stride(from: Int64(0), to: 2_000 * ms, by: Int(ms)) {
            _ = pie.drops(now: t, delay: { _ in 100 * ms }, backlog: 100_000, mtu: 1_500, random: { 0.5 })
        }
        let high = pie.dropProbability
        #expect(high > 0.1)
        // Then an empty queue for 5 s: it falls back.
        _ = pie.drops(now: 7_000 * ms, delay: { _ in 0 }, backlog: 0, mtu: 1_500, random: { 0.5 })
        #expect(pie.dropProbability < high / 10)
    }
}
