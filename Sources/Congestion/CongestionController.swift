import NetTypes
import RTP

/// A sender-side congestion controller as the media sender drives it: a sans-IO state
/// machine fed with what was sent, what the feedback said and the time, and read for
/// the rates to send at.
///
/// The contract lets controllers with different signals share one sender:
/// - `onPacketSent` sees every packet (media, padding, probes) as it leaves the pacer,
///   with its unwrapped transport-wide sequence number. Window-based controllers
///   (SCReAM, RFC 8298) count bytes in flight here; GCC needs nothing at send time.
/// - `onFeedback` gets the fate of sent packets from transport-wide feedback, in
///   sequence order, each packet once as received (and possibly earlier as lost).
///   Receive times are in the receiver's clock: use differences only. Delay-based
///   controllers (GCC, NADA RFC 8698) derive queuing delay from them; all controllers
///   can count losses.
/// - `onRoundTripTime` passes RTT samples from RTCP (RR LSR/DLSR).
/// - `onProcessInterval` is called every `processInterval` for timer-driven logic.
///
/// Outputs are read after every input: `targetRate` for the encoders, `pacingRate` for
/// the pacer, and `takeProbeClusters()` for probes the pacer should send (controllers
/// that do not probe return none). Before any input the sender says whether it can pad
/// (`setPaddingAllowed`), so that the controller alone decides whether to probe. A new controller is a new conforming type; the
/// sender, pacer and feedback plumbing stay as they are.
public protocol CongestionController: Sendable {
    /// How often the controller wants `onProcessInterval`.
    var processInterval: Duration { get }
    /// The rate the media sources should produce.
    var targetRate: Bitrate { get }
    /// The rate the pacer should drain its queue at.
    var pacingRate: Bitrate { get }
    /// A target that follows the link's capacity, not every probe or back-off: what
    /// encoders that should not switch often (layers, FEC) size themselves by (libwebrtc
    /// `TargetTransferRate::stable_target_rate`). Defaults to `targetRate`.
    var stableTargetRate: Bitrate { get }

    mutating func onPacketSent(_ packet: SentPacket)
    mutating func onFeedback(_ results: [PacketResult], now: Instant)
    mutating func onRoundTripTime(_ rtt: Duration, now: Instant)
    mutating func onProcessInterval(now: Instant)
    /// Probe clusters requested since the last call.
    mutating func takeProbeClusters() -> [ProbeCluster]
    /// Whether the sender can send padding, told once before the first input. A probe
    /// cluster is filled with padding when no media is queued, and libwebrtc pads only
    /// streams that support it (video), never an audio-only one: a controller that
    /// probes (GCC) then requests no clusters. The default ignores it.
    mutating func setPaddingAllowed(_ allowed: Bool)
    /// New minimum and maximum rates mid-call (an application's `setParameters`
    /// `maxBitrate`, libwebrtc's `SetBitrateConstraints` / `TargetRateConstraints`): the
    /// target stays within them from now on.
    mutating func setRateConstraints(min: Bitrate, max: Bitrate, now: Instant)
    /// The sender's rate-shaping buffer (the pacer's queue) holds `bytes`, told before
    /// the rates are read. Controllers whose rates depend on it (NADA, RFC 8698 §5.2.2)
    /// keep it; the default ignores it.
    mutating func onPacerQueue(bytes: Int, now: Instant)
    /// Loss as RTCP receiver reports give it (RFC 3550 §6.4.1: the cumulative counts'
    /// change between two reports), for a flow without per-packet feedback
    /// (`feedback: none`). Controllers that act on loss without per-packet feedback (GCC's
    /// loss-based part) take it; the default ignores it.
    mutating func onLossReport(lost: Int, expected: Int, now: Instant)
    /// The receiver's own estimate of the rate it can take (RTCP REMB,
    /// draft-alvestrand-rmcat-remb §2), for a flow with `feedback: remb`. Controllers
    /// that honour it (GCC: an upper limit of the target) take it; the default ignores it.
    mutating func onReceiverEstimate(_ rate: Bitrate, now: Instant)
}

extension CongestionController {
    public var stableTargetRate: Bitrate { targetRate }
    public mutating func setPaddingAllowed(_ allowed: Bool) {}
    public mutating func onPacerQueue(bytes: Int, now: Instant) {}
    public mutating func onLossReport(lost: Int, expected: Int, now: Instant) {}
    public mutating func onReceiverEstimate(_ rate: Bitrate, now: Instant) {}
}

/// A request to send a burst at `rate` — media if queued, padding otherwise — so that
/// the receive rate of the burst measures the path's capacity.
public struct ProbeCluster: Hashable, Sendable {
    public var id: Int
    public var rate: Bitrate
    /// The cluster ends once at least this many packets and bytes were sent.
    public var minPackets: Int
    public var minBytes: Int
    /// Each padding packet carries this much sending time at the cluster's rate, at most
    /// what the owner can pad (libwebrtc sizes probes from the rate and its minimum probe
    /// delta, 2 ms: bitrate_prober.cc).
    public var paddingTime: Duration

    public init(id: Int, rate: Bitrate, minPackets: Int, minBytes: Int, paddingTime: Duration = .milliseconds(2)) {
        self.id = id
        self.rate = rate
        self.minPackets = minPackets
        self.minBytes = minBytes
        self.paddingTime = paddingTime
    }
}

/// What delay-based detection concluded about the path (draft-ietf-rmcat-gcc-02 §5.4).
public enum BandwidthUsage: Sendable, Equatable {
    case normal
    case overusing
    case underusing
}
