import NetTypes
import RTP

/// Google Congestion Control (draft-ietf-rmcat-gcc-02) with the structure and parameters
/// of libwebrtc's GoogCC (goog_cc_network_control.cc): a delay-based estimate from
/// transport-wide feedback, capped loss-based control, an acknowledged-rate estimate,
/// and start-up probing. The target is the loss-based rate, which never exceeds the
/// delay-based one; the pacing rate is 2.5 × the target.
public struct GoogCCController: CongestionController {
    /// Rates and factors a caller may choose.
    public struct Configuration: Sendable {
        /// libwebrtc's default start rate (BitrateConstraints: 300 kbps).
        public var startRate = Bitrate.kbps(300)
        /// libwebrtc's default minimum video rate (kDefaultMinVideoBitrateBps: 30 kbps).
        public var minRate = Bitrate.kbps(30)
        /// libwebrtc leaves the maximum open; icelab bounds the estimate at 10 Mbps.
        public var maxRate = Bitrate.mbps(10)
        /// Pacing rate over target (libwebrtc kDefaultPaceMultiplier, goog_cc_network_control.cc: 2.5).
        public var pacingFactor = 2.5
        public init() {}
    }

    /// libwebrtc's controller process interval (RtpTransportControllerSend, 25 ms).
    public let processInterval = Duration.milliseconds(25)
    public private(set) var targetRate: Bitrate
    public var pacingRate: Bitrate { Bitrate(bitsPerSecond: Int64(Double(targetRate.bitsPerSecond) * configuration.pacingFactor)) }

    /// The rates and factors the controller was built with (min and max as constrained
    /// last: `setRateConstraints`).
    public private(set) var configuration: Configuration
    private var delayBased: DelayBasedEstimator
    private var lossBased: LossBasedController
    private var acknowledged = AcknowledgedBitrateEstimator()
    private var probeEstimator = ProbeBitrateEstimator()
    private var probeController: ProbeController
    private var clustersToSend: [ProbeCluster] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let start = Double(configuration.startRate.bitsPerSecond)
        let min = Double(configuration.minRate.bitsPerSecond)
        let max = Double(configuration.maxRate.bitsPerSecond)
        targetRate = configuration.startRate
        delayBased = DelayBasedEstimator(startBps: start, minBps: min, maxBps: max)
        lossBased = LossBasedController(startBps: start, minBps: min, maxBps: max)
        probeController = ProbeController(maxBps: max)
    }

    /// The delay-based detector's current verdict (for metrics and tests).
    public var bandwidthUsage: BandwidthUsage { delayBased.usage }
    /// The acknowledged rate, once known.
    public var acknowledgedRate: Bitrate? { acknowledged.bps.map { Bitrate(bitsPerSecond: Int64($0)) } }
    /// The delay-based estimate.
    public var delayBasedRate: Bitrate { Bitrate(bitsPerSecond: Int64(delayBased.rateControl.currentBps)) }

    /// GCC takes send times from feedback; nothing to do when a packet leaves.
    public mutating func onPacketSent(_ packet: SentPacket) {}

    public mutating func onFeedback(_ results: [PacketResult], now: Instant) {
        guard !results.isEmpty else { return }
        let received = results.filter(\.isReceived).sorted { $0.receiveTime! < $1.receiveTime! }
        lossBased.onPacketResults(lost: results.count - received.count, expected: results.count, now: now)
        acknowledged.update(received)
        let probe = probeEstimator.handle(received, now: now)
        if let result = delayBased.update(received: received, ackedBps: acknowledged.bps, probeBps: probe, now: now) {
            lossBased.setDelayBasedLimit(bps: result.bps, now: now)
            if result.fromProbe { lossBased.setTarget(bps: result.bps, now: now) }
            probeController.onEstimate(bps: result.bps, now: now)
        }
        publish(now: now)
    }

    /// Loss from receiver reports (libwebrtc `GoogCcNetworkController::OnTransportLossReport`
    /// → `SendSideBandwidthEstimation::UpdatePacketsLost`): with no per-packet feedback
    /// the loss-based controller runs on these alone, its delay-based limit never set.
    public mutating func onLossReport(lost: Int, expected: Int, now: Instant) {
        guard expected > 0 else { return }
        lossBased.onPacketResults(lost: lost, expected: expected, now: now)
        publish(now: now)
    }

    public mutating func onRoundTripTime(_ rtt: Duration, now: Instant) {
        delayBased.setRoundTripTime(rtt)
        lossBased.rtt = rtt
    }

    public mutating func onProcessInterval(now: Instant) {
        probeController.process(startBps: Double(configuration.startRate.bitsPerSecond), now: now)
        lossBased.update(now: now)
        publish(now: now)
    }

    /// libwebrtc `GoogCcNetworkController::OnTargetRateConstraints`: new bounds for the
    /// delay- and loss-based estimates (the target follows at once), and mid-call probing
    /// of a raised maximum.
    public mutating func setRateConstraints(min: Bitrate, max: Bitrate, now: Instant) {
        configuration.minRate = min
        configuration.maxRate = max
        let (low, high) = (Double(min.bitsPerSecond), Double(max.bitsPerSecond))
        delayBased.setBounds(minBps: low, maxBps: high)
        lossBased.setBounds(minBps: low, maxBps: high)
        probeController.setMaximum(bps: high, estimateBps: lossBased.targetBps, now: now)
        publish(now: now)
    }

    public mutating func takeProbeClusters() -> [ProbeCluster] {
        defer { clustersToSend.removeAll() }
        return clustersToSend
    }

    /// Registers new probe clusters for sending and estimation, and updates the target.
    private mutating func publish(now: Instant) {
        for cluster in probeController.takePending() {
            probeEstimator.expect(cluster, now: now)
            clustersToSend.append(cluster)
        }
        targetRate = Bitrate(bitsPerSecond: Int64(lossBased.targetBps))
    }
}
