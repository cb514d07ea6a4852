/// Why a link discarded a packet.
public enum LinkDropReason: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Random loss (Bernoulli or Gilbert-Elliott).
    case loss
    /// The drop-tail queue was full.
    case queueOverflow
    /// Larger than the link's MTU.
    case mtuExceeded
    /// The link was down.
    case linkDown
    /// Active queue management dropped it (CoDel, PIE, FQ-CoDel: `QueueDiscipline`).
    case aqm

    public var description: String {
        switch self {
        case .loss: return "loss"
        case .queueOverflow: return "queue-overflow"
        case .mtuExceeded: return "mtu-exceeded"
        case .linkDown: return "link-down"
        case .aqm: return "aqm"
        }
    }
}

/// Counters of one link direction.
public struct LinkStats: Sendable {
    public internal(set) var sentPackets = 0
    public internal(set) var sentBytes = 0
    public internal(set) var deliveredPackets = 0
    public internal(set) var deliveredBytes = 0
    /// Extra copies delivered by duplication.
    public internal(set) var duplicatedPackets = 0
    /// Packets held back by the reorder model.
    public internal(set) var reorderedPackets = 0
    public internal(set) var drops = DropCounters<LinkDropReason>()
    /// Packets active queue management marked CE instead of dropping them (RFC 3168 §5).
    public internal(set) var ceMarked = 0
    /// Time packets waited in the queue before transmission started.
    public internal(set) var queueDelay = DelayHistogram()

    public func dropped(_ reason: LinkDropReason) -> Int { drops[reason] }
    public var totalDropped: Int { drops.total }
}

/// Summary statistics and percentiles of a delay distribution, in nanoseconds, in
/// constant memory: a log-linear histogram with 16 sub-buckets per power of two
/// (relative error under 6.25%), plus exact count, sum, min and max.
public struct DelayHistogram: Sendable {
    public private(set) var count = 0
    public private(set) var sum: Int64 = 0
    public private(set) var min: Int64 = .max
    public private(set) var max: Int64 = 0
    /// Counts per bucket; allocated on the first sample (most links of a short run carry
    /// only a few packets, many none).
    private var buckets: [Int] = []

    public init() {}

    public mutating func record(_ nanoseconds: Int64) {
        let v = Swift.max(nanoseconds, 0)
        count += 1
        sum += v
        if v < min { min = v }
        if v > max { max = v }
        if buckets.isEmpty { buckets = [Int](repeating: 0, count: 64 * 16) }
        buckets[DelayHistogram.bucket(of: v)] += 1
    }

    static func bucket(of v: Int64) -> Int {
        if v < 16 { return Int(v) }
        let exponent = 63 - v.leadingZeroBitCount        // ≥ 4
        let mantissa = Int(v >> (exponent - 4)) & 15
        return (exponent - 3) * 16 + mantissa
    }

    static func lowerBound(of bucket: Int) -> Int64 {
        if bucket < 16 { return Int64(bucket) }
        let exponent = bucket / 16 + 3
        return Int64(16 + bucket % 16) << (exponent - 4)
    }

    /// Mean in nanoseconds (0 when empty).
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// The `q`-quantile (0...1) in nanoseconds: the midpoint of the bucket holding it,
    /// clamped to the observed min and max.
    public func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (index, n) in buckets.enumerated() where n > 0 {
            seen += n
            if seen >= rank {
                let low = DelayHistogram.lowerBound(of: index)
                let high = DelayHistogram.lowerBound(of: index + 1)
                return Swift.min(Swift.max((low + high) / 2, min), max)
            }
        }
        return max
    }
}
