import NetTypes
import RTP

/// Google Congestion Control (draft-ietf-rmcat-gcc-02) with the structure and parameters
/// of libwebrtc's GoogCC (goog_cc_network_control.cc): a delay-based estimate from
/// per-packet feedback, capped loss-based control (classic or LossBasedBweV2-style), an
/// acknowledged-rate estimate, the receiver's estimate (REMB) as a further cap, ALR
/// detection, and probing at start-up, in ALR and after a large drop. The target is the
/// loss-based rate, which never exceeds the delay-based one; the pacing rate is 2.5 × the
/// target; the stable target is the slowly tracked link capacity, at most the target.
public struct GoogCCController: CongestionController {
    /// Rates and tunables a caller may choose.
    public struct Configuration: Sendable {
        /// libwebrtc's default start rate (BitrateConstraints: 300 kbps).
        public var startRate = Bitrate.kbps(300)
        /// libwebrtc's default minimum video rate (kDefaultMinVideoBitrateBps: 30 kbps).
        public var minRate = Bitrate.kbps(30)
        /// libwebrtc leaves the maximum open; icelab bounds the estimate at 10 Mbps.
        public var maxRate = Bitrate.mbps(10)
        /// The tunables, libwebrtc's defaults unless a scenario's `controller-parameters` says otherwise.
        public var parameters = GoogCCParameters()
        public init() {}
    }

    /// libwebrtc's controller process interval (RtpTransportControllerSend, 25 ms).
    public let processInterval = Duration.milliseconds(25)
    public private(set) var targetRate: Bitrate
    public var pacingRate: Bitrate { Bitrate(bitsPerSecond: Int64(Double(targetRate.bitsPerSecond) * configuration.parameters.pacingFactor)) }
    /// libwebrtc `TargetTransferRate::stable_target_rate`: min(link capacity tracker, target).
    public private(set) var stableTargetRate: Bitrate

    /// The rates and tunables the controller was built with (min and max as constrained
    /// last: `setRateConstraints`).
    public private(set) var configuration: Configuration
    private var delayBased: DelayBasedEstimator
    private var lossBased: LossBasedController
    /// The LossBasedBweV2-style estimator when `loss-controller: v2`.
    private(set) var lossV2: LossBasedBweV2?
    private var acknowledged: AcknowledgedBitrateEstimator
    private var probeEstimator = ProbeBitrateEstimator()
    private var probeController: ProbeController
    private var alr: AlrDetector
    private var capacity: LinkCapacityTracker
    private var delayBasedLimitBps = Double.infinity
    private var clustersToSend: [ProbeCluster] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let parameters = configuration.parameters
        let start = Double(configuration.startRate.bitsPerSecond)
        let min = Double(configuration.minRate.bitsPerSecond)
        let max = Double(configuration.maxRate.bitsPerSecond)
        targetRate = configuration.startRate
        stableTargetRate = configuration.startRate
        delayBased = DelayBasedEstimator(startBps: start, minBps: min, maxBps: max, parameters: parameters)
        lossBased = LossBasedController(startBps: start, minBps: min, maxBps: max,
                                        lowLoss: parameters.lowLossThreshold, highLoss: parameters.highLossThreshold,
                                        increaseFactor: parameters.lossIncreaseFactor, decreaseInterval: parameters.lossDecreaseInterval)
        acknowledged = AcknowledgedBitrateEstimator(parameters: parameters.acknowledgedRate)
        if parameters.lossController == .v2 { lossV2 = LossBasedBweV2(parameters: parameters.lossV2, minBps: min, maxBps: max) }
        probeController = ProbeController(maxBps: max, parameters: parameters)
        alr = AlrDetector(usageRatio: parameters.alrBandwidthUsageRatio, startRatio: parameters.alrStartBudgetRatio,
                          stopRatio: parameters.alrStopBudgetRatio)
        alr.setEstimate(bps: start)
        capacity = LinkCapacityTracker(startBps: start, trackingRate: parameters.linkCapacityTrackingRate)
    }

    /// The delay-based detector's current verdict (for metrics and tests).
    public var bandwidthUsage: BandwidthUsage { delayBased.usage }
    /// The acknowledged rate, once known.
    public var acknowledgedRate: Bitrate? { acknowledged.bps.map { Bitrate(bitsPerSecond: Int64($0)) } }
    /// The delay-based estimate.
    public var delayBasedRate: Bitrate { Bitrate(bitsPerSecond: Int64(delayBased.rateControl.currentBps)) }
    /// Whether the sender is in the application-limited region (AlrDetector).
    public var inApplicationLimitedRegion: Bool { alr.startTime != nil }

    /// Every packet that leaves feeds the ALR detector (libwebrtc `OnSentPacket`).
    public mutating func onPacketSent(_ packet: SentPacket) {
        alr.onBytesSent(packet.size, now: packet.sendTime)
    }

    public mutating func onFeedback(_ results: [PacketResult], now: Instant) {
        guard !results.isEmpty else { return }
        let received = results.filter(\.isReceived).sorted { $0.receiveTime! < $1.receiveTime! }
        probeController.setAlr(start: alr.startTime, now: now)
        lossBased.onPacketResults(lost: results.count - received.count, expected: results.count, now: now)
        acknowledged.update(received, inAlr: alr.startTime != nil)
        let probe = probeEstimator.handle(received, now: now)
        if let result = delayBased.update(received: received, ackedBps: acknowledged.bps, probeBps: probe, now: now) {
            delayBasedLimitBps = result.bps
            lossBased.setDelayBasedLimit(bps: result.bps, now: now)
            capacity.onDelayBasedEstimate(bps: result.bps, now: now)
            if result.fromProbe {
                lossBased.setTarget(bps: result.bps, now: now)
                lossV2?.setEstimate(bps: result.bps)
            }
            probeController.onEstimate(bps: result.bps, now: now)
        }
        lossV2?.update(results, delayBasedBps: delayBasedLimitBps, acknowledgedBps: acknowledged.bps, inAlr: alr.startTime != nil)
        followLossV2(now: now)
        publish(now: now, recoveredFromOveruse: delayBased.recoveredFromOveruse)
    }

    /// Loss from receiver reports (libwebrtc `GoogCcNetworkController::OnTransportLossReport`
    /// → `SendSideBandwidthEstimation::UpdatePacketsLost`): with no per-packet feedback
    /// the loss-based controller runs on these alone, its delay-based limit never set.
    public mutating func onLossReport(lost: Int, expected: Int, now: Instant) {
        guard expected > 0 else { return }
        lossBased.onPacketResults(lost: lost, expected: expected, now: now)
        followLossV2(now: now)
        publish(now: now)
    }

    /// The receiver's estimate (REMB; libwebrtc `OnRemoteBitrateReport` →
    /// `SendSideBandwidthEstimation::UpdateReceiverEstimate`): an upper limit of the target.
    public mutating func onReceiverEstimate(_ rate: Bitrate, now: Instant) {
        lossBased.setReceiverLimit(bps: Double(rate.bitsPerSecond))
        publish(now: now)
    }

    public mutating func onRoundTripTime(_ rtt: Duration, now: Instant) {
        delayBased.setRoundTripTime(rtt)
        lossBased.rtt = rtt
    }

    public mutating func onProcessInterval(now: Instant) {
        probeController.setAlr(start: alr.startTime, now: now)
        probeController.process(startBps: Double(configuration.startRate.bitsPerSecond), now: now)
        lossBased.update(now: now)
        followLossV2(now: now)
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
        lossV2?.setBounds(minBps: low, maxBps: high)
        probeController.setMaximum(bps: high, estimateBps: lossBased.targetBps, now: now)
        publish(now: now)
    }

    /// An audio-only sender cannot pad (libwebrtc pads only video streams), so the probe
    /// controller never schedules a cluster for it.
    public mutating func setPaddingAllowed(_ allowed: Bool) {
        probeController.paddingAllowed = allowed
    }

    public mutating func takeProbeClusters() -> [ProbeCluster] {
        defer { clustersToSend.removeAll() }
        return clustersToSend
    }

    /// Once LossBasedBweV2 is ready its estimate is the loss-based rate (libwebrtc
    /// `SendSideBandwidthEstimation::UpdateEstimate`, still capped by the delay-based and
    /// receiver limits).
    private mutating func followLossV2(now: Instant) {
        guard let bps = lossV2?.estimateBps else { return }
        lossBased.setTarget(bps: bps, now: now)
    }

    /// Updates the target and what follows it (ALR budget, drop bookkeeping, stable
    /// target), asks for a recovery probe after overuse (libwebrtc order: after the
    /// target), and registers new probe clusters for sending and estimation.
    private mutating func publish(now: Instant, recoveredFromOveruse: Bool = false) {
        let target = lossBased.targetBps
        targetRate = Bitrate(bitsPerSecond: Int64(target))
        alr.setEstimate(bps: target)
        probeController.onTarget(bps: target, now: now)
        capacity.onRateUpdate(acknowledgedBps: acknowledged.bps, targetBps: target, now: now)
        stableTargetRate = Bitrate(bitsPerSecond: Int64(min(capacity.estimateBps, target)))
        if recoveredFromOveruse { probeController.requestProbe(now: now) }
        for cluster in probeController.takePending() {
            probeEstimator.expect(cluster, now: now)
            clustersToSend.append(cluster)
        }
    }
}
