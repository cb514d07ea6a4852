import NetTypes

/// A link direction's capacity as a Mahimahi trace: a list of delivery opportunities, each
/// the millisecond at which the link may deliver `CapacityTrace.opportunityBytes` bytes.
/// The trace repeats with a period of its last timestamp (as Mahimahi's link shell does),
/// so opportunity `k` falls at `(k / n) × period + timestamps[k % n]` for `n` lines.
///
/// Delivery follows Mahimahi's rule: bytes of queued packets are served in FIFO order from
/// successive opportunities; a packet that does not fit in what is left of an opportunity
/// takes the rest of it and continues in the next one(s), and leaves when its last byte is
/// served. The unused bytes of an opportunity with nothing queued are lost (an idle link
/// does not bank capacity). This is expressed as a position in "capacity bytes"
/// (`opportunity index × opportunityBytes`): a packet arriving at `now` starts at
/// `max(position, bytesBefore(now))` and leaves at the opportunity holding its last byte.
public struct CapacityTrace: Sendable, Equatable {
    /// Bytes one opportunity carries: one MTU-sized packet, Mahimahi's unit.
    public static let opportunityBytes: Int64 = 1500
    /// The most opportunities a trace may hold (8 MB of timestamps): a 60 s trace of a
    /// 100 Mbit/s link has 500,000 lines.
    public static let maximumOpportunities = 2_000_000

    /// Millisecond timestamps, non-decreasing, the last one positive.
    public let timestamps: [UInt32]

    /// The repeat period in nanoseconds (the last timestamp).
    public var period: Int64 { Int64(timestamps.last ?? 0) * 1_000_000 }

    /// A trace from its timestamps (checked: non-empty, non-decreasing, last one positive,
    /// at most `maximumOpportunities`).
    public init(timestamps: [UInt32]) throws(CapacityTraceError) {
        guard !timestamps.isEmpty else { throw CapacityTraceError(line: 0, message: "the trace has no delivery opportunities") }
        guard timestamps.count <= Self.maximumOpportunities else {
            throw CapacityTraceError(line: Self.maximumOpportunities + 1, message: "more than \(Self.maximumOpportunities) delivery opportunities")
        }
        for index in 1..<timestamps.count where timestamps[index] < timestamps[index - 1] {
            throw CapacityTraceError(line: index + 1, message: "timestamps must not decrease (\(timestamps[index]) after \(timestamps[index - 1]))")
        }
        guard timestamps.last! > 0 else {
            throw CapacityTraceError(line: timestamps.count, message: "the trace must last a nonzero time (its last timestamp is its period)")
        }
        self.timestamps = timestamps
    }

    /// Parses Mahimahi's format: one decimal millisecond timestamp per line; blank lines
    /// are skipped; anything else is an error with its line number. Reads at most
    /// `maximumOpportunities` timestamps.
    public static func parse(_ text: some StringProtocol) throws(CapacityTraceError) -> CapacityTrace {
        var timestamps: [UInt32] = []
        var lineNumber = 0, lastLine = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" })
            guard !trimmed.isEmpty else { continue }
            guard let value = UInt32(String(trimmed.reversed())) else {
                throw CapacityTraceError(line: lineNumber, message: "'\(line.prefix(40))' is not a millisecond timestamp (a non-negative integer)")
            }
            guard timestamps.count < maximumOpportunities else {
                throw CapacityTraceError(line: lineNumber, message: "more than \(maximumOpportunities) delivery opportunities")
            }
            if let previous = timestamps.last, value < previous {
                throw CapacityTraceError(line: lineNumber, message: "timestamps must not decrease (\(value) after \(previous))")
            }
            timestamps.append(value)
            lastLine = lineNumber
        }
        guard let last = timestamps.last else { throw CapacityTraceError(line: 0, message: "the trace has no delivery opportunities") }
        guard last > 0 else { throw CapacityTraceError(line: lastLine, message: "the trace must last a nonzero time (its last timestamp is its period)") }
        return try CapacityTrace(timestamps: timestamps)
    }

    /// When opportunity `index` (counted from time 0 over the repeats) falls, ns.
    @inlinable public func time(ofOpportunity index: Int64) -> Int64 {
        let n = Int64(timestamps.count)
        return (index / n) * period + Int64(timestamps[Int(index % n)]) * 1_000_000
    }

    /// How many opportunities fall strictly before `time` (ns).
    public func opportunities(before time: Int64) -> Int64 {
        let n = Int64(timestamps.count)
        // The cycle whose span (start, end] holds `time`: an opportunity at a period's last
        // millisecond falls at the next cycle's start and is not before it.
        let cycles = time > 0 ? (time - 1) / period : 0
        let offset = time - cycles * period
        // First timestamp ≥ offset (in ms, rounding the offset up): the opportunities before it are earlier.
        let threshold = (offset + 999_999) / 1_000_000
        var low = 0, high = timestamps.count
        while low < high {
            let mid = (low + high) / 2
            if Int64(timestamps[mid]) < threshold { low = mid + 1 } else { high = mid }
        }
        return cycles * n + Int64(low)
    }

    /// The mean rate over one period, bit/s.
    public var meanRate: Double {
        Double(timestamps.count) * Double(Self.opportunityBytes) * 8 / (Double(period) / 1e9)
    }

    /// The capacity the trace offers in `(end − window, end]`, bit/s.
    public func rate(over window: Int64, endingAt end: Int64) -> Double {
        guard window > 0 else { return 0 }
        let count = opportunities(before: end + 1) - opportunities(before: max(end - window + 1, 0))
        return Double(count) * Double(Self.opportunityBytes) * 8 / (Double(window) / 1e9)
    }
}

/// A bad trace: the trace's own line number (1-based; 0 when no line is at fault).
public struct CapacityTraceError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String
}
