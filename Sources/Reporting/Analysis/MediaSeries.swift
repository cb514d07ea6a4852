/// Names of the media time series the congestion-control section reads from the
/// `series` table: bitrates in bit/s, one-way queuing delay in ms, loss as a fraction
/// (0...1) of packets.
public enum MediaSeries {
    public static let capacity = "capacity_bps"
    public static let target = "target_bps"
    public static let sent = "sent_bps"
    public static let acked = "acked_bps"
    public static let queueDelay = "queue_delay_ms"
    public static let loss = "loss"

    /// Bitrate series in legend order.
    public static let bitrates = [capacity, target, sent, acked]
    public static let all = bitrates + [queueDelay, loss]
}
