import NetTypes
import Records

/// The byte counters behind a flow's exact 200 ms rates (RFC 8868 §3 item 1,
/// `FlowSeries.Name.intervalRates`): consecutive intervals of `FlowSeries.rateInterval`
/// from the flow's start; each packet adds to the interval open at its time (an interval
/// is `[start, end)`), and an interval closes once time reaches its end. O(1) per packet.
struct FlowIntervalCounters {
    /// The bytes one interval counted, and when it ended.
    struct Interval {
        var end: Instant
        var sent = 0
        var received = 0
        var goodput = 0
    }

    private var open: Interval

    init(start: Instant) {
        open = Interval(end: start + FlowSeries.rateInterval)
    }

    /// Closes every interval that ended at or before `now` (empty ones included), oldest first.
    mutating func close(through now: Instant, _ closed: (Interval) -> Void) {
        while now >= open.end {
            closed(open)
            open = Interval(end: open.end + FlowSeries.rateInterval)
        }
    }

    /// Adds to the open interval (after `close(through:)` at the same instant).
    mutating func add(sent: Int = 0, received: Int = 0, goodput: Int = 0) {
        open.sent += sent
        open.received += received
        open.goodput += goodput
    }
}
