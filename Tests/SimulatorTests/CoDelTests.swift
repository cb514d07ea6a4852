import NetTypes
import Testing
@testable import Simulator

/// CoDel (RFC 8289) on a link direction: under a standing overload it keeps the queueing
/// delay near its target where drop-tail lets it grow to the bound, it leaves a queue that
/// drains within an interval alone, and it decides the same way every run.
@Suite struct CoDelTests {
    /// 1,000-byte packets (972 payload + 28 headers) at `rate` packets/s for `seconds`
    /// through 1 Mbps (125 packets/s), 10 ms latency; the forward direction's stats.
    func overload(aqm: QueueDiscipline, rate: Int = 150, seconds: Int = 8) throws -> LinkStats {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(1), queue: .time(.seconds(1)), aqm: aqm))
        let tx = try net.alice.bindUDP(port: 1000)
        _ = try net.bob.bindUDP(port: 2000)
        let destination = Endpoint(net.bobAddress, 2000)
        let gap = Duration.seconds(1) / Int64(rate)
        for i in 0..<(rate * seconds) {
            net.simulation.schedule(at: .zero + gap * Int64(i)) { _ in tx.send([UInt8](repeating: 0x80, count: 972), to: destination) }
        }
        net.simulation.runUntilIdle()
        return net.links[0].forward.stats
    }

    @Test func codelHoldsTheStandingQueueNearItsTarget() throws {
        // 20% above capacity for 8 s, from a source that does not slow down.
        let dropTail = try overload(aqm: .dropTail)
        let codel = try overload(aqm: .codel(CoDelParameters()))
        // Drop-tail fills its 1 s bound.
        #expect(dropTail.queueDelay.quantile(0.95) > Duration.milliseconds(900).nanoseconds)
        #expect(dropTail.dropped(.aqm) == 0 && dropTail.dropped(.queueOverflow) > 0)
        // CoDel drops at dequeue instead, more often while the delay stays above 5 ms: the
        // delay of what it forwards stays in tens of milliseconds and nothing reaches the
        // bound (measured: median 27 ms, 95th percentile 43 ms, 196 drops).
        #expect(codel.dropped(.aqm) > 0 && codel.dropped(.queueOverflow) == 0)
        #expect(codel.queueDelay.quantile(0.95) < Duration.milliseconds(100).nanoseconds, "\(codel.queueDelay.quantile(0.95))")
        // Both keep the link busy: 125 packets/s delivered.
        #expect(codel.deliveredPackets >= 990 && dropTail.deliveredPackets >= 990)
    }

    @Test func sameRunSameDrops() throws {
        let a = try overload(aqm: .codel(CoDelParameters(target: .milliseconds(2), interval: .milliseconds(50))), rate: 300, seconds: 2)
        let b = try overload(aqm: .codel(CoDelParameters(target: .milliseconds(2), interval: .milliseconds(50))), rate: 300, seconds: 2)
        #expect(a.dropped(.aqm) == b.dropped(.aqm) && a.queueDelay.sum == b.queueDelay.sum && a.dropped(.aqm) > 0)
    }

    @Test func aBurstThatDrainsWithinAnIntervalIsNotDropped() throws {
        // 10 packets at once: the last waits 72 ms, then the queue is empty; above target
        // for less than 100 ms, so CoDel never enters its dropping state.
        let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1), aqm: .codel(CoDelParameters())))
        let tx = try net.alice.bindUDP(port: 1000)
        _ = try net.bob.bindUDP(port: 2000)
        for _ in 0..<10 { tx.send([UInt8](repeating: 0x80, count: 972), to: Endpoint(net.bobAddress, 2000)) }
        net.simulation.runUntilIdle()
        #expect(net.links[0].forward.stats.deliveredPackets == 10 && net.links[0].forward.stats.dropped(.aqm) == 0)
    }

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
