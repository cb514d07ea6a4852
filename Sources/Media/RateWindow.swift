import NetTypes

/// Bytes over a sliding window: a rate in bps.
struct RateWindow: Sendable {
    let span: Duration
    private var entries: [(time: Instant, bytes: Int)] = []
    private var head = 0
    private var sum = 0

    init(span: Duration) { self.span = span }

    mutating func add(_ bytes: Int, at time: Instant) {
        entries.append((time, bytes))
        sum += bytes
    }

    /// The rate over the `span` before `now`.
    mutating func rate(at now: Instant) -> Double {
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
