import NetTypes
import Testing
@testable import Simulator

/// CoDel (RFC 8289), PIE (RFC 8033) and FQ-CoDel (RFC 8290) with one flow on a link direction: under a standing overload
/// each keeps the queueing delay in tens of milliseconds where drop-tail lets it grow to
/// its bound, a short burst passes untouched, and decisions repeat run for run.
@Suite struct AQMTests {
    /// The disciplines, with the median queueing delay each must stay under in the 20 %
    /// overload (measured: CoDel median 27 ms and 95th percentile 43 ms; PIE 29 ms and
    /// 103 ms, the climb out of its burst allowance; both about 196 drops).
    static let cases: [(QueueDiscipline, Duration)] = [(.codel(CoDelParameters()), .milliseconds(40)),
                                                         (.pie(PIEParameters()), .milliseconds(40)),
                                                         (.fqCodel(FQCoDelParameters()), .milliseconds(40))]

    @Test(arguments: cases)
    func holdsTheStandingQueueWhereDropTailFillsItsBound(aqm: QueueDiscipline, medianBelow: Duration) throws {
        let dropTail = try AQMOverload.run(aqm: .dropTail).stats
        let managed = try AQMOverload.run(aqm: aqm).stats
        #expect(dropTail.queueDelay.quantile(0.95) > Duration.milliseconds(900).nanoseconds)
        #expect(dropTail.dropped(.aqm) == 0 && dropTail.dropped(.queueOverflow) > 0)
        #expect(managed.dropped(.aqm) > 0 && managed.dropped(.queueOverflow) == 0)
        #expect(managed.queueDelay.quantile(0.5) < medianBelow.nanoseconds, "\(managed.queueDelay.quantile(0.5))")
        // Both keep the link busy: 125 packets/s delivered.
        #expect(managed.deliveredPackets >= 990 && dropTail.deliveredPackets >= 990)
    }

    /// 10 packets at once: the last waits 72 ms, then the queue is empty. CoDel is above
    /// target for less than an interval; PIE is within its burst allowance.
    @Test(arguments: cases.map(\.0))
    func aShortBurstIsNotDropped(aqm: QueueDiscipline) throws {
        let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1), aqm: aqm))
        let tx = try net.alice.bindUDP(port: 1000)
        _ = try net.bob.bindUDP(port: 2000)
        for _ in 0..<10 { tx.send([UInt8](repeating: 0x80, count: 972), to: Endpoint(net.bobAddress, 2000)) }
        net.simulation.runUntilIdle()
        #expect(net.links[0].forward.stats.deliveredPackets == 10 && net.links[0].forward.stats.dropped(.aqm) == 0)
    }

    @Test(arguments: cases.map(\.0))
    func sameRunSameDrops(aqm: QueueDiscipline) throws {
        let a = try AQMOverload.run(aqm: aqm, rate: 300, seconds: 3).stats
        let b = try AQMOverload.run(aqm: aqm, rate: 300, seconds: 3).stats
        #expect(a.dropped(.aqm) == b.dropped(.aqm) && a.queueDelay.sum == b.queueDelay.sum && a.dropped(.aqm) > 0)
    }
}
