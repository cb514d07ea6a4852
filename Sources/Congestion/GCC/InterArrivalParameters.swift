import NetTypes

/// How GCC groups packets before measuring delay variation (draft-ietf-rmcat-gcc-02 §5.2;
/// libwebrtc inter_arrival_delta.cc and delay_based_bwe.cc, whose constants these are),
/// settable as `controller-parameters` keys.
public struct InterArrivalParameters: Sendable, Equatable {
    /// Send-time span of a group (draft §5.2 burst_time 5 ms; kSendTimeGroupLength).
    public var sendTimeGroupLength = Duration.milliseconds(5)
    /// A packet arriving at most this long after the previous one, with a negative
    /// propagation delta, joins the group as part of a burst (kBurstDeltaThreshold 5 ms) ...
    public var burstDeltaThreshold = Duration.milliseconds(5)
    /// ... while the group's arrivals span less than this (kMaxBurstDuration 100 ms).
    public var maxBurstDuration = Duration.milliseconds(100)
    /// Consecutive groups arriving out of order before the grouping starts afresh
    /// (kReorderedResetThreshold 3).
    public var reorderedResetThreshold = 3

    public init() {}

    /// The `controller-parameters` keys.
    public static let keys = ["send-time-group-length", "burst-delta-threshold", "max-burst-duration", "reordered-reset-threshold"]

    /// Sets `key` (one of `keys`) from `text`, checked against its range.
    mutating func set(_ key: String, _ text: String) throws(ControllerParameterError) {
        typealias P = ControllerParameters
        switch key {
        case "send-time-group-length": sendTimeGroupLength = .fromSeconds(try P.seconds(key, text, in: 0...1))
        case "burst-delta-threshold": burstDeltaThreshold = .fromSeconds(try P.seconds(key, text, in: 0...1))
        case "max-burst-duration": maxBurstDuration = .fromSeconds(try P.seconds(key, text, in: 0...10))
        case "reordered-reset-threshold": reorderedResetThreshold = Int(try P.number(key, text, in: 1...1000, integer: true))
        default: throw ControllerParameterError(key: key, "unknown inter-arrival parameter '\(key)'")
        }
    }
}
