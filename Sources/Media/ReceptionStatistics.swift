import NetTypes
import RTP

/// Reception statistics of one RTP source for receiver reports (RFC 3550 Appendix A.3
/// for loss, A.8 for interarrival jitter).
struct ReceptionStatistics: Sendable {
    let clockRate: Int
    private var unwrapper = SequenceUnwrapper(bits: 16)
    private var base: Int64?
    private var highest: Int64 = 0
    private var received = 0
    private var expectedPrior = 0
    private var receivedPrior = 0
    private var jitter = 0.0
    private var lastTransit: Int32?

    init(clockRate: Int) { self.clockRate = clockRate }

    /// Expected and lost so far: what the cumulative fields of a report block say.
    var lossCount: PacketLossCount {
        let expected = base.map { Int(highest - $0 + 1) } ?? 0
        return PacketLossCount(expected: expected, lost: expected - received)
    }

    mutating func record(sequence: UInt16, timestamp: UInt32, arrival: Instant) {
        let seq = unwrapper.unwrap(UInt32(sequence))
        if base == nil { base = seq; highest = seq }
        highest = max(highest, seq)
        received += 1
        let arrivalUnits = RTPClock.ticks(arrival, clockRate: clockRate)
        let transit = Int32(bitPattern: arrivalUnits &- timestamp)
        if let lastTransit {
            let d = Double(abs(Int64(transit) - Int64(lastTransit)))
            jitter += (d - jitter) / 16
        }
        lastTransit = transit
    }

    /// The report block for this source at `now`; `lastSenderReport` is the compact NTP
    /// time of the last SR and when it arrived.
    mutating func reportBlock(ssrc: UInt32, lastSenderReport: (compact: UInt32, arrival: Instant)?, now: Instant) -> ReportBlock {
        let expected = lossCount.expected
        let expectedInterval = expected - expectedPrior
        let receivedInterval = received - receivedPrior
        expectedPrior = expected
        receivedPrior = received
        let lostInterval = expectedInterval - receivedInterval
        let fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : min(lostInterval * 256 / expectedInterval, 255)
        return ReportBlock(ssrc: ssrc, fractionLost: UInt8(fraction), cumulativeLost: Int32(clamping: expected - received),
                           extendedHighestSequence: UInt32(truncatingIfNeeded: highest), jitter: UInt32(jitter),
                           lastSenderReport: lastSenderReport?.compact ?? 0,
                           delaySinceLastSenderReport: lastSenderReport.map { NTPTime.compact(now - $0.arrival) } ?? 0)
    }
}
