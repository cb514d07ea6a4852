import NetTypes
import Testing
@testable import Simulator

/// RFC 8868 §4.3's bounded PDV models: a truncated Gaussian around the latency, with
/// (RBPDV) or without (NR-BPDV) reordering.
@Suite struct JitterModelTests {
    static let count = 20_000
    static let latency = Duration.milliseconds(100)
    static let sigma = Duration.milliseconds(5)
    static let bound = Duration.milliseconds(15)

    /// Each packet's delay beyond its send time (packet i sent at i ms), in ms, by sequence number.
    func delays(reorders: Bool, seed: UInt64 = 3) throws -> (delays: [Double], sequence: [Int], times: [Instant]) {
        let config = LinkConfig(latency: Self.latency, jitter: Self.sigma, jitterDistribution: .truncatedGaussian(bound: Self.bound),
                                jitterReorders: reorders)
        let net = TestNetwork.direct(seed: seed, config: config)
        let r = try LinkTests().blast(net, count: Self.count, size: 20, gap: .milliseconds(1))
        var delays = [Double](repeating: .nan, count: Self.count)
        for (arrival, sequence) in zip(r.arrivals, r.sequence) {
            delays[sequence] = (arrival.time - (Instant.zero + .milliseconds(Int64(sequence)))).milliseconds
        }
        return (delays, r.sequence, r.arrivals.map(\.time))
    }

    @Test func rbpdvIsATruncatedGaussianAroundTheLatency() throws {
        let (delays, sequence, _) = try delays(reorders: true)
        #expect(sequence.count == Self.count)
        let pdv = delays.map { $0 - Self.latency.milliseconds }
        let mean = pdv.reduce(0, +) / Double(pdv.count)
        let sd = (pdv.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pdv.count)).squareRoot()
        // σ / √n = 0.035 ms: the mean is 0 within 0.2 ms. A Gaussian truncated at 3σ keeps
        // 98.7 % of its standard deviation: 4.93 ms.
        #expect(abs(mean) < 0.2, "mean \(mean)")
        #expect(sd > 4.75 && sd < 5.1, "standard deviation \(sd)")
        #expect(pdv.allSatisfy { abs($0) <= Self.bound.milliseconds }, "max \(pdv.map(abs).max() ?? 0)")
        // About 0.8 % of draws fall beyond ±2σ and 32 % beyond ±σ: the shape is Gaussian, not uniform.
        let beyondOne = Double(pdv.filter { abs($0) > Self.sigma.milliseconds }.count) / Double(pdv.count)
        #expect(beyondOne > 0.29 && beyondOne < 0.34, "beyond 1σ: \(beyondOne)")
        // 1 ms apart with σ 5 ms, packets overtake each other.
        #expect(sequence != sequence.sorted())
    }

    @Test func nrBpdvNeverReorders() throws {
        let (delays, sequence, times) = try delays(reorders: false)
        #expect(sequence == Array(0..<Self.count))
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        // A packet is held back only behind an earlier one: its delay is the Gaussian draw
        // or the previous packet's arrival, so never below latency − bound.
        #expect(delays.allSatisfy { $0 >= (Self.latency - Self.bound).milliseconds })
    }

    @Test func sameSeedSameDelays() throws {
        #expect(try delays(reorders: true, seed: 9).delays == (try delays(reorders: true, seed: 9).delays))
        #expect(try delays(reorders: true, seed: 9).delays != (try delays(reorders: true, seed: 10).delays))
    }
}
