import NetTypes

/// What counts as one oscillation of the sending rate (RFC 8868 §3 item 9): the 200 ms
/// rate moves from at most `low` to at least `high`, or from at least `high` to at most
/// `low`, with the two intervals' ends at most `window` apart. Each swing counts once:
/// after a swing, the next needs the rate back at the other watermark.
public struct OscillationCriterion: Sendable, Equatable {
    /// The low watermark, bit/s.
    public var low: Double
    /// The high watermark, bit/s.
    public var high: Double
    public var window: Duration

    /// RFC 8868 §3 item 9's example: 500 kbps and 2 Mbps (a factor of 4) within 500 ms.
    public static let standard = OscillationCriterion(low: 500_000, high: 2_000_000, window: .milliseconds(500))

    public init(low: Double, high: Double, window: Duration) {
        self.low = low
        self.high = high
        self.window = window
    }

    /// The number of swings in `samples` (in time order).
    public func count(_ samples: [(time: Duration, value: Double)]) -> Int {
        var count = 0
        var last: (isHigh: Bool, time: Duration)?
        for sample in samples {
            let isHigh: Bool
            if sample.value >= high { isHigh = true } else if sample.value <= low { isHigh = false } else { continue }
            if let last, last.isHigh != isHigh, sample.time - last.time <= window { count += 1 }
            last = (isHigh, sample.time)
        }
        return count
    }
}
