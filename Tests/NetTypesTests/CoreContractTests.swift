import Testing
@testable import NetTypes

/// The pieces of the core contract every driver and core shares: the timer table and the
/// drain loop.
@Suite struct CoreContractTests {
    enum Timer: Int, CaseIterable { case retransmit, keepalive, expiry }

    let t0 = Instant.zero

    @Test func aNewTableHasNoDeadline() {
        let table = TimerTable<Timer>()
        #expect(table.next == .distantFuture)
        #expect(table.nextTimer() == nil)
        #expect(!table.isDue(.retransmit, at: .distantFuture))
    }

    @Test func theNextDeadlineIsTheMinimumAndNamesItsTimer() {
        var table = TimerTable<Timer>()
        table[.keepalive] = t0 + .seconds(15)
        table[.retransmit] = t0 + .milliseconds(500)
        table[.expiry] = t0 + .seconds(30)
        #expect(table.next == t0 + .milliseconds(500))
        #expect(table.nextTimer()?.timer == .retransmit)
        table.stop(.retransmit)
        #expect(table.next == t0 + .seconds(15))
        #expect(table.nextTimer()?.timer == .keepalive)
        #expect(table.isDue(.keepalive, at: t0 + .seconds(15)))
        #expect(!table.isDue(.keepalive, at: t0 + .seconds(14)))
        table.stopAll()
        #expect(table.next == .distantFuture)
    }

    @Test func deadlinesAtOrBeforeABoundAreSkipped() {
        var table = TimerTable<Timer>()
        table[.retransmit] = t0 + .seconds(1)   // handled, left in place
        table[.expiry] = t0 + .seconds(5)
        #expect(table.next(after: t0 + .seconds(1)) == t0 + .seconds(5))
        #expect(table.nextTimer(after: t0 + .seconds(1))?.timer == .expiry)
        #expect(table.next(after: t0 + .seconds(5)) == .distantFuture)
    }

    @Test func aTieIsReportedAsTheFirstDeclaredTimer() {
        var table = TimerTable<Timer>()
        table[.expiry] = t0 + .seconds(2)
        table[.keepalive] = t0 + .seconds(2)
        #expect(table.nextTimer()?.timer == .keepalive)
    }

    @Test func timeHandedToACoreNeverGoesBack() {
        var drain = CoreDrain()
        #expect(drain.now(t0 + .seconds(2)) == t0 + .seconds(2))
        #expect(drain.now(t0 + .seconds(1)) == t0 + .seconds(2))   // the clock stepped back
        #expect(drain.now(t0 + .seconds(3)) == t0 + .seconds(3))
        #expect(drain.latest == t0 + .seconds(3))
    }

    @Test func aDrainDeliversEveryOutputInOrderAndReturnsTheDeadline() {
        let a = Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 1)
        var queue: [CoreOutput<Int>] = [
            .event(1), .transmit(Datagram(source: a, destination: a, payload: [7])), .event(2), .timeout(t0 + .seconds(9)), .event(3),
        ]
        var seen: [String] = []
        let deadline = CoreDrain().run(poll: { queue.removeFirst() },
                                       transmit: { seen.append("tx \($0.payload)") }, event: { seen.append("ev \($0)") })
        #expect(deadline == t0 + .seconds(9))
        #expect(seen == ["ev 1", "tx [7]", "ev 2"])
        #expect(queue.count == 1)   // polling stops at the deadline
    }
}
