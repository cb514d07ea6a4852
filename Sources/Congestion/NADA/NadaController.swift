import NetTypes
import RTP

/// NADA, Network-Assisted Dynamic Adaptation (RFC 8698), as a sender-side controller:
/// `NadaReceiverStatistics` computes the receiver's quantities from transport-wide
/// feedback; every DELTA (the process interval) with new feedback the reference rate
/// r_ref is updated in accelerated ramp-up or gradual mode (§4.3) and clipped to
/// [RMIN, RMAX]; the encoder gets r_vin and the pacer r_send, both shaped by the pacer's
/// queue (the rate-shaping buffer, §5.2). NADA sends no probes.
public struct NadaController: CongestionController {
    /// The most one gradual update may raise r_ref by (icelab's, see `update`): 10 %.
    static let gradualIncreaseBound = 0.1

    public let parameters: NadaParameters
    public var processInterval: Duration { Duration.fromSeconds(parameters.delta) }
    /// r_ref, bit/s.
    public private(set) var referenceRate: Double
    /// RMIN and RMAX, bit/s.
    public private(set) var minRate: Double
    public private(set) var maxRate: Double
    /// The last report the rate was updated from.
    public private(set) var lastReport: NadaReport?
    /// Updates in each mode so far (for metrics and tests).
    public private(set) var rampUpUpdates = 0
    public private(set) var gradualUpdates = 0
    private var statistics: NadaReceiverStatistics
    private var previousSignal = 0.0
    private var lastUpdate: Instant?
    /// RTT from RTCP; 0 until the first sample (γ is then at most GAMMA_MAX anyway
    /// unless QBOUND / (DELTA + DFILT) is below it).
    private var rtt = 0.0
    /// buffer_len: bytes in the rate-shaping buffer.
    private var bufferBytes = 0

    public init(rates: ControllerRates = ControllerRates(), parameters: NadaParameters = NadaParameters()) {
        self.parameters = parameters
        minRate = Double(rates.min.bitsPerSecond)
        maxRate = max(minRate, Double(rates.max.bitsPerSecond))
        referenceRate = min(max(Double(rates.start.bitsPerSecond), minRate), maxRate)
        statistics = NadaReceiverStatistics(parameters: parameters)
    }

    /// r_vin (§5.2.2).
    public var targetRate: Bitrate {
        Bitrate(bitsPerSecond: Int64(NadaEquations.videoRate(rRef: referenceRate, bufferBytes: bufferBytes, rMin: minRate, parameters)))
    }

    /// r_send (§5.2.2), never below r_vin.
    public var pacingRate: Bitrate {
        let send = NadaEquations.sendingRate(rRef: referenceRate, bufferBytes: bufferBytes, rMax: maxRate, parameters)
        return Bitrate(bitsPerSecond: Int64(max(send, Double(targetRate.bitsPerSecond))))
    }

    /// NADA needs nothing at send time: send times come back with the feedback.
    public mutating func onPacketSent(_ packet: SentPacket) {}

    public mutating func onFeedback(_ results: [PacketResult], now: Instant) { statistics.add(results) }

    public mutating func onRoundTripTime(_ rtt: Duration, now: Instant) { self.rtt = rtt.seconds }

    /// One feedback interval: the receiver's report, then the reference rate (§4.3).
    public mutating func onProcessInterval(now: Instant) {
        guard statistics.freshResults > 0 else { return }
        let report = statistics.report()
        let delta = lastUpdate.map { (now - $0).seconds } ?? parameters.delta
        if report.acceleratedRampUp {
            let gamma = NadaEquations.rampUpFactor(rtt: rtt, parameters)
            referenceRate = NadaEquations.rampUp(rRef: referenceRate, rRecv: report.receivingRate, gamma: gamma)
            rampUpUpdates += 1
        } else {
            let updated = NadaEquations.gradualUpdate(rRef: referenceRate, xCurr: report.congestionSignal, xPrev: previousSignal,
                                                      delta: delta, rMax: maxRate, parameters)
            // icelab's guard, not in RFC 8698: a gradual update grows r_ref by at most
            // 10 %. The loss penalty is quadratic (DLOSS × (p_loss / PLRREF)², seconds at
            // 20-30 % loss), so as the smoothed loss ratio decays x_diff is hugely
            // negative and the ETA term alone would multiply r_ref several times over in
            // one update.
            referenceRate = min(updated, referenceRate * (1 + Self.gradualIncreaseBound))
            gradualUpdates += 1
        }
        referenceRate = min(max(referenceRate, minRate), maxRate)
        previousSignal = report.congestionSignal
        lastUpdate = now
        lastReport = report
    }

    public mutating func takeProbeClusters() -> [ProbeCluster] { [] }

    /// New RMIN and RMAX; r_ref is clipped into them at once.
    public mutating func setRateConstraints(min: Bitrate, max: Bitrate, now: Instant) {
        minRate = Double(min.bitsPerSecond)
        maxRate = Swift.max(minRate, Double(max.bitsPerSecond))
        referenceRate = Swift.min(Swift.max(referenceRate, minRate), maxRate)
    }

    public mutating func onPacerQueue(bytes: Int, now: Instant) { bufferBytes = bytes }
}
