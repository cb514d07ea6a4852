import NetTypes

/// Bytes over a sliding window: a rate in bps. Entries are kept in one array consumed
/// from the front and compacted now and then, so adding costs no allocation per packet
/// once the array has grown.
public struct RateWindow: Sendable {
    public let span: Duration
    private var entries: [(time: Instant, bytes: Int)] = []
    private var head = 0
    private var sum = 0

    public init(span: Duration) { self.span = span }

    public mutating func add(_ bytes: Int, at time: Instant) {
        entries.append((time, bytes))
        sum += bytes
    }

    /// The rate over the `span` before `now`.
    public mutating func rate(at now: Instant) -> Double {
        while head < entries.count, now - entries[head].time >= span {
            sum -= entries[head].bytes
            head += 1
        }
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return Double(sum) * 8 / span.seconds
    }
}
