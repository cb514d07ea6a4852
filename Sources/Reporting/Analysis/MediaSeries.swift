import Records

/// Names of the media time series the congestion-control section reads from the
/// `series` table (`FlowSeries.Name`, recorded by media flows): bitrates in bit/s,
/// one-way queuing delay in ms, loss as a fraction (0...1) of packets.
public enum MediaSeries {
    public static let capacity = FlowSeries.Name.capacity
    public static let target = FlowSeries.Name.target
    public static let sent = FlowSeries.Name.sent
    public static let acked = FlowSeries.Name.acked
    public static let queueDelay = FlowSeries.Name.queueDelay
    public static let loss = FlowSeries.Name.loss

    /// Bitrate series in legend order.
    public static let bitrates = [capacity, target, sent, acked]
    public static let all = bitrates + [queueDelay, loss]
}
