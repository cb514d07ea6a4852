import NetTypes
import RTP
import Testing
@testable import Congestion

/// Trendline and overuse detector on synthetic one-way delay ramps.
@Suite struct DelayDetectionTests {
    /// Feeds packets sent every 10 ms (one group each) whose one-way delay changes by
    /// `slopeMs` per packet; returns the detector's verdicts.
    static func verdicts(slopeMs: Double, packets: Int = 200) -> [BandwidthUsage] {
        var interArrival = InterArrivalDelta()
        var trendline = TrendlineEstimator()
        var detector = OveruseDetector()
        var verdicts: [BandwidthUsage] = []
        for i in 0..<packets {
            let send = Instant.zero + .milliseconds(Int64(10 * i))
            let delay = Duration.fromSeconds((50 + slopeMs * Double(i)) / 1000)
            let arrival = send + delay
            guard let d = interArrival.add(sendTime: send, arrival: arrival) else { continue }
            let nowMs = Double(arrival.nanoseconds) / 1e6
            trendline.update(arrivalDeltaMs: d.arrival.milliseconds, sendDeltaMs: d.send.milliseconds, arrivalMs: nowMs)
            verdicts.append(detector.detect(trend: trendline.trend, deltaCount: trendline.deltaCount, sendDeltaMs: d.send.milliseconds, nowMs: nowMs))
        }
        return verdicts
    }

    @Test func growingDelayIsOveruse() {
        let v = Self.verdicts(slopeMs: 0.5)
        #expect(v.suffix(50).allSatisfy { $0 == .overusing })
    }

    @Test func flatDelayIsNormal() {
        #expect(Self.verdicts(slopeMs: 0).allSatisfy { $0 == .normal })
    }

    @Test func decreasingDelayIsUnderuse() {
        let v = Self.verdicts(slopeMs: -1, packets: 45)
        #expect(v.suffix(15).contains(.underusing))
        #expect(!v.contains(.overusing))
    }

    @Test func burstsArrivingTogetherFormOneGroup() {
        var interArrival = InterArrivalDelta()
        // Three packets sent 1 ms apart form a group; the next group starts 20 ms later.
        var deltas: [InterArrivalDelta.Deltas] = []
        for group in 0..<3 {
            for k in 0..<3 {
                let send = Instant.zero + .milliseconds(Int64(20 * group + k))
                if let d = interArrival.add(sendTime: send, arrival: send + .milliseconds(30)) { deltas.append(d) }
            }
        }
        #expect(deltas == [InterArrivalDelta.Deltas(send: .milliseconds(20), arrival: .milliseconds(20))])
    }

    @Test func thresholdAdaptsTowardsTheTrend() {
        var detector = OveruseDetector()
        for i in 0..<100 { _ = detector.detect(trend: 0, deltaCount: 100, sendDeltaMs: 10, nowMs: Double(i * 10)) }
        #expect(detector.thresholdMs == OveruseDetector.thresholdRangeMs.lowerBound)
    }

    /// A feedback during which the detector goes from underuse back to normal reports
    /// `recoveredFromOveruse` (libwebrtc delay_based_bwe.cc), which asks for a drop
    /// probe; feedback before the underuse does not.
    @Test func recoveryFromUnderuseIsReported() throws {
        var estimator = DelayBasedEstimator(startBps: 300_000, minBps: 30_000, maxBps: 10_000_000)
        var flags: [Bool] = []
        var usages: [BandwidthUsage] = []
        var delayMs = 100.0
        for feedback in 0..<40 {
            var results: [PacketResult] = []
            for k in 0..<5 {
                let i = feedback * 5 + k
                // Flat, then 45 packets of delay falling 1 ms each, then flat again.
                if (50..<95).contains(i) { delayMs -= 1 }
                let send = Instant.zero + .milliseconds(Int64(10 * i))
                results.append(PacketResult(sent: SentPacket(sequence: Int64(i), size: 1000, sendTime: send),
                                            receiveTime: send + .fromSeconds(delayMs / 1000)))
            }
            _ = estimator.update(received: results, ackedBps: 800_000, probeBps: nil, now: results.last!.receiveTime!)
            flags.append(estimator.recoveredFromOveruse)
            usages.append(estimator.usage)
        }
        #expect(usages.contains(.underusing))
        #expect(!flags.prefix(10).contains(true))
        let recovered = try #require(flags.firstIndex(of: true))
        #expect(usages[recovered] == .normal && usages[recovered - 1] == .underusing)
    }
}
