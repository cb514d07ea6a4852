import NetTypes
import RTP

/// GCC's delay-based controller (draft-ietf-rmcat-gcc-02 §5; libwebrtc
/// delay_based_bwe.cc): packet groups → delay trend → overuse detection → AIMD.
struct DelayBasedEstimator: Sendable {
    /// Outcome of one feedback.
    struct Result {
        /// The estimate, bps.
        var bps: Double
        /// Whether the estimate came from a probe result.
        var fromProbe: Bool
    }

    private var interArrival: InterArrivalDelta
    private var trendline: TrendlineEstimator
    private(set) var detector: OveruseDetector
    private(set) var rateControl: AimdRateControl
    /// Whether the last feedback took the detector from underuse back to normal
    /// (libwebrtc delay_based_bwe.cc `recovered_from_overuse`, which asks the probe
    /// controller for a probe after a large drop).
    private(set) var recoveredFromOveruse = false

    init(startBps: Double, minBps: Double, maxBps: Double, parameters: GoogCCParameters = GoogCCParameters()) {
        interArrival = InterArrivalDelta(parameters: parameters.interArrival)
        rateControl = parameters.aimdRateControl(startBps: startBps, minBps: minBps, maxBps: maxBps)
        trendline = parameters.trendlineEstimator()
        detector = parameters.overuseDetector()
    }

    var usage: BandwidthUsage { detector.state }

    mutating func setRoundTripTime(_ rtt: Duration) { rateControl.rtt = rtt }

    /// New bounds for the estimate (a mid-call rate constraint).
    mutating func setBounds(minBps: Double, maxBps: Double) { rateControl.setBounds(minBps: minBps, maxBps: maxBps) }

    /// Processes the received packets of one feedback, sorted by receive time.
    mutating func update(received: [PacketResult], ackedBps: Double?, probeBps: Double?, now: Instant) -> Result? {
        recoveredFromOveruse = false
        guard !received.isEmpty else { return nil }
        for result in received {
            guard let arrival = result.receiveTime,
                  let deltas = interArrival.add(sendTime: result.sent.sendTime, arrival: arrival) else { continue }
            trendline.update(arrivalDeltaMs: deltas.arrival.milliseconds, sendDeltaMs: deltas.send.milliseconds,
                             arrivalMs: Double(arrival.nanoseconds) / 1e6)
            let previous = detector.state
            let state = detector.detect(trend: trendline.trend, deltaCount: trendline.deltaCount,
                                        sendDeltaMs: deltas.send.milliseconds, nowMs: Double(arrival.nanoseconds) / 1e6)
            if previous == .underusing, state == .normal { recoveredFromOveruse = true }
        }
        if detector.state == .overusing {
            guard let ackedBps, rateControl.timeToReduceFurther(now: now, ackedBps: ackedBps) else { return nil }
            rateControl.update(usage: .overusing, ackedBps: ackedBps, now: now)
            return Result(bps: rateControl.currentBps, fromProbe: false)
        }
        if let probeBps {
            rateControl.setEstimate(bps: probeBps, now: now)
            return Result(bps: rateControl.currentBps, fromProbe: true)
        }
        rateControl.update(usage: detector.state, ackedBps: ackedBps, now: now)
        return Result(bps: rateControl.currentBps, fromProbe: false)
    }
}
