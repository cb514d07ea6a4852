import NetTypes

/// Throughput over consecutive windows of one timescale (RFC 8868 §3 item 7: "the
/// throughput measurement interval should be set at a few values, for example 1 s, 5 s
/// and 20 s"): window k spans `(origin + k·timescale, origin + (k+1)·timescale]` and its
/// throughput is the mean of the rate samples whose interval ends in it — for the 200 ms
/// series of a media flow (and TCP's 100 ms goodput) exactly the bytes of the window
/// over its length. Only whole windows up to `end` count.
public struct ThroughputWindows: Sendable, Equatable {
    public var origin: Duration
    public var timescale: Duration
    public var end: Duration

    /// RFC 8868 §3 item 7's example timescales.
    public static let standardTimescales: [Duration] = [.seconds(1), .seconds(5), .seconds(20)]

    public init(origin: Duration, timescale: Duration, end: Duration) {
        self.origin = origin
        self.timescale = timescale
        self.end = end
    }

    /// How many whole windows fit.
    public var count: Int {
        guard timescale > .zero, end > origin else { return 0 }
        return Int((end - origin).nanoseconds / timescale.nanoseconds)
    }

    /// The window that ends at `origin + (k+1)·timescale`.
    public func span(_ k: Int) -> ClosedRange<Duration> {
        (origin + timescale * Int64(k))...(origin + timescale * Int64(k + 1))
    }

    /// The mean rate of each window; nil for a window without samples.
    public func means(_ samples: [(time: Duration, value: Double)]) -> [Double?] {
        var sums = [Double](repeating: 0, count: count), counts = [Int](repeating: 0, count: count)
        for sample in samples where sample.time > origin {
            // Ceiling: a sample at a window's end belongs to that window.
            let k = Int((sample.time - origin - .nanoseconds(1)).nanoseconds / timescale.nanoseconds)
            guard k < count else { break }
            sums[k] += sample.value
            counts[k] += 1
        }
        return zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : nil }
    }

    /// Per window where both have a positive mean: `first`'s mean over `second`'s.
    public func ratios(_ first: [(time: Duration, value: Double)], _ second: [(time: Duration, value: Double)]) -> [Double] {
        zip(means(first), means(second)).compactMap { a, b in
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
    }
}
