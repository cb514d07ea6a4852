import NetTypes

/// When a flow's sending rate counts as converged (RFC 8868 §3 item 8, "the time taken to
/// reach a stable rate"): the first 200 ms interval starting at or after an event (the
/// flow's start, a capacity change, another flow arriving) from which `hold` worth of
/// consecutive intervals all lie within ±`tolerance` of their own mean. The convergence
/// time is that interval's start minus the event.
public struct ConvergenceCriterion: Sendable, Equatable {
    /// Allowed deviation of each interval's rate from the mean of the held span (0.2: ±20 %).
    public var tolerance: Double
    /// How long the rate must stay within the band (a whole number of 200 ms intervals, at least one).
    public var hold: Duration

    /// ±20 % over 2 s: video at 30 frames/s puts 6 frames in an interval, so a steady
    /// encoder stays within the band, a ramp or a drop does not.
    public static let standard = ConvergenceCriterion(tolerance: 0.2, hold: .seconds(2))

    public init(tolerance: Double, hold: Duration) {
        self.tolerance = tolerance
        self.hold = hold
    }

    /// How many intervals of `interval` the held span covers.
    func intervals(of interval: Duration) -> Int {
        max(1, Int((hold.nanoseconds + interval.nanoseconds - 1) / interval.nanoseconds))
    }
}
