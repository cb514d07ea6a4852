import NetTypes
import RTP

/// Any registered controller behind one concrete type, so that one `MediaSender` type
/// runs whichever controller a scenario names (`ControllerRegistry`).
public struct AnyCongestionController: CongestionController {
    /// The controller inside, for inspection (`as? NadaController`).
    public private(set) var base: any CongestionController

    public init(_ base: some CongestionController) { self.base = base }

    public var processInterval: Duration { base.processInterval }
    public var targetRate: Bitrate { base.targetRate }
    public var pacingRate: Bitrate { base.pacingRate }
    public var stableTargetRate: Bitrate { base.stableTargetRate }

    public mutating func onPacketSent(_ packet: SentPacket) { base.onPacketSent(packet) }
    public mutating func onFeedback(_ results: [PacketResult], now: Instant) { base.onFeedback(results, now: now) }
    public mutating func onRoundTripTime(_ rtt: Duration, now: Instant) { base.onRoundTripTime(rtt, now: now) }
    public mutating func onProcessInterval(now: Instant) { base.onProcessInterval(now: now) }
    public mutating func takeProbeClusters() -> [ProbeCluster] { base.takeProbeClusters() }
    public mutating func setPaddingAllowed(_ allowed: Bool) { base.setPaddingAllowed(allowed) }
    public mutating func setRateConstraints(min: Bitrate, max: Bitrate, now: Instant) { base.setRateConstraints(min: min, max: max, now: now) }
    public mutating func onPacerQueue(bytes: Int, now: Instant) { base.onPacerQueue(bytes: bytes, now: now) }
    public mutating func onLossReport(lost: Int, expected: Int, now: Instant) { base.onLossReport(lost: lost, expected: expected, now: now) }
    public mutating func onReceiverEstimate(_ rate: Bitrate, now: Instant) { base.onReceiverEstimate(rate, now: now) }
}
