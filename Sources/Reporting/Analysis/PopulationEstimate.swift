import Records
import Results

/// What a population of users (the sweep's `PopulationWeights`) should expect of one
/// session: the share of calls that connect, the share that need a relay, and connect-time
/// percentiles, each run weighted by how common its swept values are. With several seeds
/// each share gets a 95 % confidence interval from the spread of the per-seed estimates
/// (Student's t over seeds); with one seed there is none.
public struct PopulationEstimate: Sendable {
    /// A share in [0, 1] with its interval, if there are two seeds or more.
    public struct Share: Sendable {
        public var value: Double
        public var interval: ClosedRange<Double>?
    }

    public var session: String
    public var connected: Share
    public var relayed: Share
    /// Weighted percentiles of `connected_ms` over the connected sessions.
    public var connectP50: Double?
    public var connectP95: Double?
    /// Sessions that had a weight, and the seeds they came from.
    public var weightedSessions: Int
    public var seeds: Int

    /// One estimate per session name, in order of first appearance.
    public static func estimates(_ data: SweepData, population: PopulationWeights) -> [PopulationEstimate] {
        var order: [String] = []
        var samples: [String: [(seed: UInt64, weight: Double, session: StoredSession)]] = [:]
        for session in data.sessions {
            guard let run = data.runsByID[session.runID],
                  let weight = population.weight(of: run.parameters.map { ($0.name, $0.value) }), weight > 0 else { continue }
            if samples[session.name] == nil { order.append(session.name) }
            samples[session.name, default: []].append((run.seed, weight, session))
        }
        return order.compactMap { name in samples[name].map { estimate(name, $0) } }
    }

    static func estimate(_ name: String, _ samples: [(seed: UInt64, weight: Double, session: StoredSession)]) -> PopulationEstimate {
        func share(_ counts: (StoredSession) -> Bool) -> Share {
            let total = samples.reduce(0) { $0 + $1.weight }
            let value = samples.filter { counts($0.session) }.reduce(0) { $0 + $1.weight } / total
            var perSeed: [Double] = []
            for seed in Set(samples.map(\.seed)).sorted() {
                let ofSeed = samples.filter { $0.seed == seed }
                let weight = ofSeed.reduce(0) { $0 + $1.weight }
                perSeed.append(ofSeed.filter { counts($0.session) }.reduce(0) { $0 + $1.weight } / weight)
            }
            return Share(value: value, interval: interval(perSeed))
        }
        let connected = samples.filter { $0.session.connected }
            .compactMap { sample in sample.session.connectedMilliseconds.map { (time: $0, weight: sample.weight) } }
        return PopulationEstimate(session: name, connected: share { $0.connected }, relayed: share { $0.connected && $0.relayUsed },
                                  connectP50: percentile(connected, 0.5), connectP95: percentile(connected, 0.95),
                                  weightedSessions: samples.count, seeds: Set(samples.map(\.seed)).count)
    }

    /// Mean ± t(0.975, n − 1) · s / √n of the per-seed estimates, clamped to [0, 1].
    static func interval(_ estimates: [Double]) -> ClosedRange<Double>? {
        let n = estimates.count
        guard n >= 2 else { return nil }
        let mean = estimates.reduce(0, +) / Double(n)
        let variance = estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let half = studentT975(degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot()
        return max(0, mean - half)...min(1, mean + half)
    }

    /// The 97.5 % quantile of Student's t distribution (1.96 beyond 30 degrees of freedom).
    static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                     2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.96
    }

    /// The smallest time whose cumulative weight reaches `fraction` of the total.
    static func percentile(_ samples: [(time: Double, weight: Double)], _ fraction: Double) -> Double? {
        let sorted = samples.sorted { $0.time < $1.time }
        let total = sorted.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        var cumulative = 0.0
        for sample in sorted {
            cumulative += sample.weight
            if cumulative >= fraction * total - 1e-12 { return sample.time }
        }
        return sorted.last?.time
    }
}
