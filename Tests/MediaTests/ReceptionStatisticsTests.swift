import NetTypes
import RTP
import Testing
@testable import Media

@Suite struct ReceptionStatisticsTests {
    @Test func reportBlockCountsLossAcrossTheWrapAndJitter() {
        var stats = ReceptionStatistics(clockRate: 90_000)
        // 20 packets from 65530 across the wrap, every 4th lost, constant transit: no jitter.
        for i in 0..<20 where i % 4 != 3 {
            let time = Instant.zero + .milliseconds(Int64(10 * i))
            stats.record(sequence: UInt16(truncatingIfNeeded: 65530 + i), timestamp: 900 * UInt32(i) &+ 5, arrival: time)
        }
        let sr = (compact: UInt32(0x0001_8000), arrival: Instant.zero + .milliseconds(100))
        let block = stats.reportBlock(ssrc: 7, lastSenderReport: sr, now: .zero + .milliseconds(350))
        // Highest received is 65530 + 18; of 19 expected, 4 were lost.
        #expect(block.cumulativeLost == 4)
        #expect(block.fractionLost == UInt8(4 * 256 / 19))
        #expect(block.extendedHighestSequence == 65530 + 18)
        #expect(block.jitter == 0)
        #expect(block.lastSenderReport == 0x0001_8000)
        #expect(block.delaySinceLastSenderReport == 1 << 14)   // 250 ms in 1/65536 s
        // The next interval counts only what happened since: 65530 + 19 lost, + 20 received.
        stats.record(sequence: UInt16(truncatingIfNeeded: 65530 + 20), timestamp: 18_005, arrival: .zero + .milliseconds(200))
        let next = stats.reportBlock(ssrc: 7, lastSenderReport: nil, now: .zero + .seconds(1))
        #expect(next.fractionLost == 128 && next.cumulativeLost == 5)
        #expect(next.lastSenderReport == 0 && next.delaySinceLastSenderReport == 0)
    }
}
