import NetTypes

/// Measures wall time of benchmark bodies (benchmarks are drivers, not cores: they may
/// read the clock).
enum WallClock {
    /// Seconds `body` took, best of `repetitions` runs (less noise on a shared machine).
    static func bestSeconds(repetitions: Int = 3, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<max(repetitions, 1) {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            let seconds = elapsed.inSeconds
            best = min(best, seconds)
        }
        return best
    }
}
