/// The mean loss interval in packets (RFC 8698 §4.2 `loss_int`, weighted as RFC 5348
/// §5.4 does): the last eight intervals between losses weighted 1, 1, 1, 1, 0.8, 0.6,
/// 0.4, 0.2. The flow's start counts as the beginning of the first interval. NADA treats
/// a loss as recent while at most MULTILOSS × loss_int packets arrived after it
/// (`loss_exp`, §4.2). Only closed intervals count: RFC 5348 also weighs in the open
/// one when that raises the mean, but then the open interval could never exceed
/// MULTILOSS (7) × a mean it is part of, and a single loss would warp the delay forever.
struct NadaLossIntervals: Sendable {
    private static let weights = [1.0, 1.0, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2]
    /// Closed intervals, newest first (at most eight).
    private(set) var closed: [Int] = []
    /// Packets received since the last loss (or the start).
    private(set) var open = 0

    mutating func received() { open += 1 }

    mutating func lost() {
        closed.insert(open, at: 0)
        if closed.count > Self.weights.count { closed.removeLast() }
        open = 0
    }

    /// The mean interval; nil before the first loss.
    var mean: Double? {
        guard !closed.isEmpty else { return nil }
        func weighted(_ intervals: [Int]) -> Double {
            var total = 0.0, weights = 0.0
            for (interval, weight) in zip(intervals, Self.weights) {
                total += Double(interval) * weight
                weights += weight
            }
            return total / weights
        }
        return weighted(closed)
    }

    /// Whether the last loss is within `multiloss` × the mean interval.
    func isRecent(multiloss: Double) -> Bool {
        guard let mean else { return false }
        return Double(open) <= multiloss * mean
    }
}
