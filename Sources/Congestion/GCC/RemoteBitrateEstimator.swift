import NetTypes
import RTP

/// GCC's delay-based estimate made at the receiver, for REMB (libwebrtc
/// remote_bitrate_estimator_abs_send_time.cc; draft-ietf-rmcat-gcc-02 §5 places the
/// delay-based controller at the receiver): packets are grouped by their abs-send-time
/// stamp, the delay trend of the groups drives the overuse detector, and the AIMD rate
/// controller turns its verdicts and the incoming rate into the estimate the receiver
/// announces.
///
/// The same pieces as the sender-side estimator: `InterArrivalDelta` on send times
/// unwrapped from the 24-bit abs-send-time, `TrendlineEstimator` and `OveruseDetector`
/// (libwebrtc's receive side uses the older Kalman OveruseEstimator instead of the
/// trendline), `AimdRateControl` with the incoming rate over 1 s (kBitrateWindowMs) as
/// throughput. As libwebrtc's AimdRateControl, the estimate becomes valid 5 s after the
/// first rate measurement (kInitializationTime), at the incoming rate, or at the first
/// decrease before that.
public struct RemoteBitrateEstimator: Sendable {
    /// Incoming-rate window (remote_bitrate_estimator_abs_send_time.cc kBitrateWindowMs: 1 s).
    public static let rateWindow = Duration.seconds(1)
    /// The estimate starts at the incoming rate this long after the first packet
    /// (aimd_rate_control.cc kInitializationTime: 5 s).
    public static let initializationTime = Duration.seconds(5)
    /// Bounds of the periodic update interval (aimd_rate_control.cc GetFeedbackInterval:
    /// an 80-byte RTCP packet at 5 % of the rate, clamped to [200 ms, 1 s]).
    public static let feedbackIntervalRange = Duration.milliseconds(200)...Duration.seconds(1)

    private var sendTimes = SequenceUnwrapper(bits: 24)
    private var interArrival: InterArrivalDelta
    private var trendline: TrendlineEstimator
    private var detector: OveruseDetector
    private var rateControl: AimdRateControl
    private var incoming = RateWindow(span: rateWindow)
    private var firstArrival: Instant?
    private var lastUpdate: Instant?
    /// The current estimate, once valid.
    public private(set) var estimate: Bitrate?

    /// An estimator whose rate stays within `min`...`max`, with GCC's delay-based tunables
    /// (grouping, trendline, detector, rate control) from `parameters`.
    public init(min: Bitrate = .kbps(30), max: Bitrate = .mbps(10), parameters: GoogCCParameters = GoogCCParameters()) {
        let low = Double(min.bitsPerSecond)
        interArrival = InterArrivalDelta(parameters: parameters.interArrival)
        rateControl = parameters.aimdRateControl(startBps: low, minBps: low, maxBps: Double(max.bitsPerSecond))
        trendline = parameters.trendlineEstimator()
        detector = parameters.overuseDetector()
    }

    /// The detector's current verdict.
    public var bandwidthUsage: BandwidthUsage { detector.state }

    /// A packet of `size` bytes stamped `absoluteSendTime` (the 24-bit 6.18 field) arrived
    /// at `arrival`. Returns the new estimate when one is due (periodically or at an
    /// overuse, libwebrtc `IncomingPacketInfo`'s `update_estimate`), else nil.
    public mutating func onPacket(arrival: Instant, absoluteSendTime: UInt32, size: Int) -> Bitrate? {
        incoming.add(size, at: arrival)
        let throughput = incoming.rate(at: arrival)
        if firstArrival == nil { firstArrival = arrival }
        // 6.18 fixed point: whole seconds, then the fraction in 2^-18 s.
        let ticks = sendTimes.unwrap(absoluteSendTime)
        let sendTime = Instant.zero + Duration(nanoseconds: (ticks >> 18) * 1_000_000_000 + ((ticks & 0x3FFFF) * 1_000_000_000) >> 18)
        if let deltas = interArrival.add(sendTime: sendTime, arrival: arrival) {
            let arrivalMs = Double(arrival.nanoseconds) / 1e6
            trendline.update(arrivalDeltaMs: deltas.arrival.milliseconds, sendDeltaMs: deltas.send.milliseconds, arrivalMs: arrivalMs)
            _ = detector.detect(trend: trendline.trend, deltaCount: trendline.deltaCount,
                                sendDeltaMs: deltas.send.milliseconds, nowMs: arrivalMs)
        }
        var due = lastUpdate.map { arrival - $0 > feedbackInterval } ?? true
        if detector.state == .overusing, rateControl.timeToReduceFurther(now: arrival, ackedBps: throughput) { due = true }
        guard due else { return nil }
        if estimate == nil {
            if detector.state == .overusing {
                rateControl.setEstimate(bps: throughput, now: arrival)
            } else if let first = firstArrival, arrival - first > Self.initializationTime {
                rateControl.setEstimate(bps: throughput, now: arrival)
                estimate = Bitrate(bitsPerSecond: Int64(rateControl.currentBps))
            }
        }
        rateControl.update(usage: detector.state, ackedBps: throughput, now: arrival)
        guard estimate != nil || detector.state == .overusing else { return nil }
        lastUpdate = arrival
        estimate = Bitrate(bitsPerSecond: Int64(rateControl.currentBps))
        return estimate
    }

    /// Round-trip time, as the receiver learns it (libwebrtc `OnRttUpdate`).
    public mutating func setRoundTripTime(_ rtt: Duration) { rateControl.rtt = rtt }

    /// An 80-byte RTCP packet at 5 % of the estimate, within `feedbackIntervalRange`.
    private var feedbackInterval: Duration {
        let seconds = 80.0 * 8 / (0.05 * max(rateControl.currentBps, 1))
        return min(max(.fromSeconds(seconds), Self.feedbackIntervalRange.lowerBound), Self.feedbackIntervalRange.upperBound)
    }
}
