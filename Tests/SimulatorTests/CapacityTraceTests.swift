import NetTypes
import Testing
@testable import Simulator

/// Mahimahi traces: parsing, and delivery at the opportunities the trace gives.
@Suite struct CapacityTraceTests {
    @Test func parsesMahimahiFormat() throws {
        let trace = try CapacityTrace.parse("0\n3\n3\n\n10\r\n  20 \n")
        #expect(trace.timestamps == [0, 3, 3, 10, 20])
        #expect(trace.period == Duration.milliseconds(20).nanoseconds)
        // 5 opportunities of 12,000 bits per 20 ms: 3 Mbit/s.
        #expect(trace.meanRate == 3_000_000)
    }

    @Test(arguments: [
        ("", 0, "no delivery opportunities"),
        ("\n\n", 0, "no delivery opportunities"),
        ("0\n5\nx7\n", 3, "not a millisecond timestamp"),
        ("0\n-1\n", 2, "not a millisecond timestamp"),
        ("0\n5\n4\n", 3, "must not decrease"),
        ("0\n0\n", 2, "nonzero time"),
        ("1.5\n", 1, "not a millisecond timestamp"),
    ])
    func rejectsBadTraces(text: String, line: Int, message: String) {
        #expect {
            _ = try CapacityTrace.parse(text)
        } throws: { error in
            guard let error = error as? CapacityTraceError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test func opportunityArithmeticRepeatsWithThePeriod() throws {
        let trace = try CapacityTrace(timestamps: [2, 5, 5, 10])
        let ms: (Int64) -> Int64 = { $0 * 1_000_000 }
        #expect((0..<9).map { trace.time(ofOpportunity: $0) } == [2, 5, 5, 10, 12, 15, 15, 20, 22].map(ms))
        #expect(trace.opportunities(before: 0) == 0)
        #expect(trace.opportunities(before: ms(2)) == 0)
        #expect(trace.opportunities(before: ms(2) + 1) == 1)
        #expect(trace.opportunities(before: ms(10)) == 3)
        #expect(trace.opportunities(before: ms(10) + 1) == 4)
        #expect(trace.opportunities(before: ms(15)) == 5)
        #expect(trace.opportunities(before: ms(20)) == 7)
        // (10, 20]: opportunities at 12, 15, 15, 20 ms: 48,000 bits in 10 ms.
        #expect(trace.rate(over: ms(10), endingAt: ms(20)) == 4_800_000)
    }

    /// Hand-computed against Mahimahi's rule: 1000-byte packets (972 + 28) offered at
    /// once to a trace with opportunities at 1, 2, 4 and 8 ms (period 8 ms). Bytes are
    /// served 1500 per opportunity: packet 0 leaves at 1 ms (1000 of the first 1500),
    /// packet 1 needs 500 more at 2 ms, packet 2 ends with the 2 ms opportunity (3000 bytes
    /// served), packet 3 at 4 ms (4000 of 4500), packet 4 at 8 ms, packet 5 at 8 ms too
    /// (6000 = 4 × 1500), packet 6 at 9 ms (the trace repeats: 8 + 1).
    @Test func deliversAtTheOpportunitiesTheTraceGives() throws {
        let trace = try CapacityTrace(timestamps: [1, 2, 4, 8])
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(10), capacityTrace: trace))
        let r = try LinkTests().blast(net, count: 7, size: 972)
        #expect(r.sequence == Array(0..<7))
        #expect(r.arrivals.map(\.time) == [1, 2, 2, 4, 8, 8, 9].map { .zero + .milliseconds(10 + $0) })
    }

    /// An idle link does not bank capacity: a packet sent at 5 ms after an empty queue
    /// waits for the next opportunity (8 ms), whatever went unused before.
    @Test func unusedOpportunitiesAreLost() throws {
        let trace = try CapacityTrace(timestamps: [1, 2, 4, 8])
        let net = TestNetwork.direct(config: LinkConfig(capacityTrace: trace))
        let r = try LinkTests().blast(net, count: 2, size: 972, gap: .milliseconds(5))
        // Packet 0 at 0 ms leaves at 1 ms; packet 1 at 5 ms leaves at 8 ms.
        #expect(r.arrivals.map(\.time) == [1, 8].map { .zero + .milliseconds($0) })
    }

    /// Over many periods a saturated trace link delivers its mean rate.
    @Test func saturatedLinkDeliversTheTraceRate() throws {
        let trace = try CapacityTrace(timestamps: [0, 1, 1, 3, 7, 10])  // 6 × 12,000 bits / 10 ms = 7.2 Mbit/s
        let net = TestNetwork.direct(config: LinkConfig(capacityTrace: trace))
        let r = try LinkTests().blast(net, count: 6000, size: 1472)   // 1500-byte packets: one per opportunity
        let last = try #require(r.arrivals.last?.time)
        #expect(r.arrivals.count == 6000)
        #expect(last == Instant.zero + Duration.milliseconds(9990 + 10))   // opportunity 5999: index 5 (10 ms) of period 999
    }
}
