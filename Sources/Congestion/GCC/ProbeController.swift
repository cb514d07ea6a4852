import NetTypes

/// Decides when to probe (libwebrtc probe_controller.cc): at start-up two clusters at
/// 3× and 6× the start rate; while results keep coming in above 70 % of the last probe
/// rate, further probes at 2× the estimate ("exponential probing"); then done.
struct ProbeController: Sendable {
    /// libwebrtc ProbeControllerConfig first_exponential_probe_scale: 3.0.
    static let firstScale = 3.0
    /// libwebrtc ProbeControllerConfig second_exponential_probe_scale: 6.0.
    static let secondScale = 6.0
    /// libwebrtc ProbeControllerConfig further_exponential_probe_scale: 2.0.
    static let furtherScale = 2.0
    /// libwebrtc ProbeControllerConfig further_probe_threshold: 0.7.
    static let furtherThreshold = 0.7
    /// libwebrtc kMaxWaitingTimeForProbingResult: 1 s.
    static let maxWaitForResult = Duration.seconds(1)
    /// libwebrtc ProbeClusterConfig defaults: at least 5 packets and 15 ms of the probe rate.
    static let minProbePackets = 5
    static let minProbeDuration = Duration.milliseconds(15)

    private enum State { case initial, waitingForResult, complete }

    private var state = State.initial
    private var nextID = 1
    private var lastProbeTime = Instant.zero
    private var minBpsToProbeFurther = Double.infinity
    private var maxBps: Double
    private var pending: [ProbeCluster] = []

    init(maxBps: Double) { self.maxBps = maxBps }

    /// Starts the initial probes on the first call.
    mutating func process(startBps: Double, now: Instant) {
        switch state {
        case .initial:
            probe([Self.firstScale * startBps, Self.secondScale * startBps], now: now)
        case .waitingForResult where now - lastProbeTime > Self.maxWaitForResult:
            state = .complete
            minBpsToProbeFurther = .infinity
        default: break
        }
    }

    /// A new estimate: probe further if it came close to the last probe.
    mutating func onEstimate(bps: Double, now: Instant) {
        if state == .waitingForResult, bps > minBpsToProbeFurther {
            probe([Self.furtherScale * bps], now: now)
        }
    }

    /// A new maximum rate mid-call (libwebrtc `ProbeController::SetBitrates`): once
    /// start-up probing is over, a maximum raised above both the old one and the estimate
    /// is probed at once, so the estimate can climb to it in one probe rather than by
    /// additive increase.
    mutating func setMaximum(bps: Double, estimateBps: Double, now: Instant) {
        let old = maxBps
        maxBps = bps
        guard state == .complete, bps > old, estimateBps < bps else { return }
        probe([bps], now: now)
    }

    /// Clusters requested since the last call.
    mutating func takePending() -> [ProbeCluster] {
        defer { pending.removeAll() }
        return pending
    }

    private mutating func probe(_ rates: [Double], now: Instant) {
        var last = 0.0
        for rate in rates.map({ min($0, maxBps) }) where rate > last {
            pending.append(ProbeCluster(id: nextID, rate: Bitrate(bitsPerSecond: Int64(rate)), minPackets: Self.minProbePackets,
                                        minBytes: Int(rate * Self.minProbeDuration.seconds / 8)))
            nextID += 1
            last = rate
        }
        lastProbeTime = now
        let reachedMax = last >= maxBps
        state = reachedMax ? .complete : .waitingForResult
        minBpsToProbeFurther = reachedMax ? .infinity : Self.furtherThreshold * last
    }
}
