/// Conversions between the standard library's `Swift.Duration` (what drivers, benchmarks
/// and the command line measure on the wall clock) and the project's own.
extension Swift.Duration {
    /// The duration in seconds (wall times of runs and benchmarks, `Thread.sleep`).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

extension Duration {
    /// `duration`, truncated to whole nanoseconds.
    public init(_ duration: Swift.Duration) {
        self.init(nanoseconds: duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
