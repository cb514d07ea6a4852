/// Order statistics of samples (connect times): quantiles by linear interpolation
/// between closest ranks, and empirical CDFs thinned for drawing.
public enum Percentiles {
    /// The `q` quantile (0...1) of `sorted` (ascending), or nil without samples.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// The empirical CDF of `sorted` as points `(value, fraction ≤ value)`, starting at
    /// `(first, 0)`; with more than `maximumPoints` samples, evenly spaced ranks are kept
    /// (the last always), so a CDF of 10,000 sessions stays a small path.
    public static func cdf(_ sorted: [Double], maximumPoints: Int = 200) -> [(x: Double, y: Double)] {
        guard let first = sorted.first else { return [] }
        let n = sorted.count
        let stride = max(1, (n + maximumPoints - 1) / maximumPoints)
        var points: [(x: Double, y: Double)] = [(first, 0)]
        var index = stride - 1
        while index < n {
            points.append((sorted[index], Double(index + 1) / Double(n)))
            index += stride
        }
        if points.last?.y != 1 { points.append((sorted[n - 1], 1)) }
        return points
    }
}
