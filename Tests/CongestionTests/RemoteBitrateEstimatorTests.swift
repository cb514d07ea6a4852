import NetTypes
import RTP
import Testing
@testable import Congestion

/// The receive-side estimate behind REMB on constructed arrivals: 1000-byte packets
/// every 10 ms (800 kbps) stamped with abs-send-time, sent from 62 s so that the 24-bit
/// stamp wraps (64 s) along the way.
@Suite struct RemoteBitrateEstimatorTests {
    struct Stream {
        var estimator = RemoteBitrateEstimator()
        var send = Instant.zero + .seconds(62)
        var delay = Duration.milliseconds(40)
        var estimates: [(time: Instant, rate: Bitrate)] = []

        mutating func run(for span: Duration, delayGrowthPerPacket: Duration = .zero) {
            let end = send + span
            while send < end {
                delay = delay + delayGrowthPerPacket
                let arrival = send + delay
                if let rate = estimator.onPacket(arrival: arrival, absoluteSendTime: AbsoluteSendTime.field(send), size: 1000) {
                    estimates.append((arrival, rate))
                }
                send += .milliseconds(10)
            }
        }
    }

    /// Nothing for the first 5 s; then the incoming rate, raised while the delay is flat
    /// (at most 1.5 × incoming + 10 kbps), updates at most every 200 ms-1 s; an overuse
    /// cuts it to 0.85 × incoming − 5 kbps (the incoming rate falls below 800 kbps as the
    /// queue grows).
    @Test func startsAtTheIncomingRateAndBacksOffOnOveruse() throws {
        var stream = Stream()
        stream.run(for: .milliseconds(4900))
        #expect(stream.estimates.isEmpty)
        stream.run(for: .seconds(5))
        let first = try #require(stream.estimates.first)
        #expect(first.time > .zero + .seconds(67) && first.time < .zero + .seconds(68))
        #expect(abs(Double(first.rate.bitsPerSecond) - 800_000) < 40_000, "\(first.rate)")
        let rates = stream.estimates.map { Double($0.rate.bitsPerSecond) }
        #expect(rates == rates.sorted())
        #expect(rates.last! <= 1.5 * 810_000 + 10_000)
        let gaps = zip(stream.estimates.dropFirst(), stream.estimates).map { ($0.time - $1.time).seconds }
        #expect(gaps.allSatisfy { $0 > 0.2 && $0 < 1.02 }, "\(gaps)")
        let before = stream.estimates.count
        stream.run(for: .seconds(1), delayGrowthPerPacket: .milliseconds(1))
        #expect(stream.estimator.bandwidthUsage == .overusing)
        let cut = try #require(stream.estimates.dropFirst(before).first { $0.rate.bitsPerSecond < 700_000 })
        #expect(cut.rate > .kbps(550), "\(cut.rate)")
    }
}
