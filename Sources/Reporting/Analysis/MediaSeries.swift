import Records

/// Names of the media time series the congestion-control section reads from the
/// `series` table (`FlowSeries.Name`, recorded by media flows): bitrates in bit/s,
/// one-way queuing delay in ms, packets expected and lost per interval, and each
/// interval's loss as a fraction (0...1).
public enum MediaSeries {
    public static let capacity = FlowSeries.Name.capacity
    public static let target = FlowSeries.Name.target
    public static let sent = FlowSeries.Name.sent
    public static let acked = FlowSeries.Name.acked
    public static let received = FlowSeries.Name.received
    public static let roundTripTime = FlowSeries.Name.roundTripTime
    public static let queueDelay = FlowSeries.Name.queueDelay
    public static let packetsExpected = FlowSeries.Name.packetsExpected
    public static let packetsLost = FlowSeries.Name.packetsLost
    public static let lossIntervalFraction = FlowSeries.Name.lossIntervalFraction

    /// Bitrate series in legend order.
    public static let bitrates = [capacity, target, sent, acked, received]
    /// The exact 200 ms rates of RFC 8868 §3 item 1, with the capacity, in legend order.
    public static let intervalRates = [capacity, FlowSeries.Name.sent200ms, FlowSeries.Name.received200ms, FlowSeries.Name.goodput200ms]
    public static let all = bitrates + [roundTripTime, queueDelay, packetsExpected, packetsLost, lossIntervalFraction]
}
