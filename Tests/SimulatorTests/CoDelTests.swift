import NetTypes
import Testing
@testable import Simulator

/// CoDel's control law (RFC 8289 §5.5) on its own; on links in `AQMTests`.
@Suite struct CoDelTests {
    @Test func theControlLawDropsFasterTheLongerTheDelayLasts() {
        var codel = CoDelState(CoDelParameters())
        let ms: Int64 = 1_000_000
        // A standing 20 ms sojourn with a large backlog, one packet per millisecond.
        var drops: [Int64] = []
        for t in stride(from: Int64(0), to: 1_000 * ms, by: Int(ms)) where codel.drops(now: t, sojourn: 20 * ms, backlog: 10_000, mtu: 1_500) {
            drops.append(t / ms)
        }
        // The first drop one interval after the delay rose, then at 100/sqrt(n) ms gaps.
        #expect(drops.first == 100)
        let gaps = zip(drops.dropFirst(), drops).map { $0 - $1 }
        #expect(gaps.prefix(3) == [100, 71, 58], "\(gaps.prefix(5))")
        #expect(gaps.last! < gaps.first!)
    }

    @Test func belowTargetOrWithLittleBacklogNothingIsDropped() {
        var codel = CoDelState(CoDelParameters())
        let ms: Int64 = 1_000_000
        for t in stride(from: Int64(0), to: 500 * ms, by: Int(ms)) {
            let belowTarget = codel.drops(now: t, sojourn: 4 * ms, backlog: 100_000, mtu: 1_500)
            let littleBacklog = codel.drops(now: t, sojourn: 50 * ms, backlog: 1_000, mtu: 1_500)
            #expect(!belowTarget && !littleBacklog)
        }
    }
}
