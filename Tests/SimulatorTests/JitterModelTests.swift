import NetTypes
import Testing
@testable import Simulator

/// RFC 8868 §4.5's bounded PDV models: the magnitude of a Gaussian clamped at ±3σ
/// (§4.5.3) added to the latency, with (RBPDV) or without (NR-BPDV) reordering.
@Suite struct JitterModelTests {
    static let count = 20_000
    static let latency = Duration.milliseconds(100)
    static let sigma = Duration.milliseconds(5)
    static let bound = Duration.milliseconds(15)

    /// Each packet's delay beyond its send time (packet i sent at i ms), in ms, by sequence number.
    func delays(reorders: Bool, seed: UInt64 = 3) throws -> (delays: [Double], sequence: [Int], times: [Instant]) {
        let config = LinkConfig(latency: Self.latency, jitter: Self.sigma, jitterDistribution: .boundedPDV(bound: Self.bound),
                                jitterReorders: reorders)
        let net = TestNetwork.direct(seed: seed, config: config)
        let r = try LinkTests().blast(net, count: Self.count, size: 20, gap: .milliseconds(1))
        var delays = [Double](repeating: .nan, count: Self.count)
        for (arrival, sequence) in zip(r.arrivals, r.sequence) {
            delays[sequence] = (arrival.time - (Instant.zero + .milliseconds(Int64(sequence)))).milliseconds
        }
        return (delays, r.sequence, r.arrivals.map(\.time))
    }

    @Test func rbpdvAddsAClampedGaussiansMagnitudeToTheLatency() throws {
        let (delays, sequence, _) = try delays(reorders: true)
        #expect(sequence.count == Self.count)
        let pdv = delays.map { $0 - Self.latency.milliseconds }
        let mean = pdv.reduce(0, +) / Double(pdv.count)
        let sd = (pdv.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pdv.count)).squareRoot()
        // |N(0, σ²)| is half-normal: mean σ√(2/π) = 3.99 ms, standard deviation σ√(1 − 2/π)
        // = 3.01 ms (clamping at 3σ moves 0.27 % of the draws); σ / √n = 0.035 ms.
        #expect(abs(mean - 3.99) < 0.2, "mean \(mean)")
        #expect(sd > 2.85 && sd < 3.15, "standard deviation \(sd)")
        // One-sided: never faster than the latency, never beyond the bound, some at it.
        #expect(pdv.allSatisfy { $0 >= 0 && $0 <= Self.bound.milliseconds }, "range \(pdv.min() ?? 0)...\(pdv.max() ?? 0)")
        #expect(pdv.contains { $0 == Self.bound.milliseconds })
        // 31.7 % of draws are beyond σ (uniform in 0...3σ would put 67 % there): Gaussian-shaped.
        let beyondOne = Double(pdv.filter { $0 > Self.sigma.milliseconds }.count) / Double(pdv.count)
        #expect(beyondOne > 0.29 && beyondOne < 0.34, "beyond 1σ: \(beyondOne)")
        // 1 ms apart with σ 5 ms, packets overtake each other.
        #expect(sequence != sequence.sorted())
    }

    @Test func nrBpdvNeverReorders() throws {
        let (delays, sequence, times) = try delays(reorders: false)
        #expect(sequence == Array(0..<Self.count))
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        // A packet is held back only behind an earlier one: its delay is the latency plus its
        // draw, or later (the previous packet's arrival), so never below the latency.
        #expect(delays.allSatisfy { $0 >= Self.latency.milliseconds })
    }

    @Test func sameSeedSameDelays() throws {
        #expect(try delays(reorders: true, seed: 9).delays == (try delays(reorders: true, seed: 9).delays))
        #expect(try delays(reorders: true, seed: 9).delays != (try delays(reorders: true, seed: 10).delays))
    }
}
