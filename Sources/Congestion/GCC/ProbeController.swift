import NetTypes

/// Decides when to probe (libwebrtc probe_controller.cc): at start-up two clusters at
/// 3× and 6× the start rate; while results keep coming in above 70 % of the last probe
/// rate, further probes at 2× the estimate ("exponential probing"); a raised maximum
/// mid-call; in the application-limited region, when enabled, a probe at 2× the
/// estimate every 5 s (periodic ALR probing); and after a large drop of the estimate,
/// once the delay-based detector has recovered, one probe at 85 % of the rate before
/// the drop ("limited probing after large drop", `RequestProbe`). A sender that cannot
/// pad (`paddingAllowed` false: audio only) gets no probes at all.
struct ProbeController: Sendable {
    private enum State { case initial, waitingForResult, complete }

    private let parameters: GoogCCParameters
    private var state = State.initial
    private var nextID = 1
    private var lastProbeTime = Instant.zero
    private var minBpsToProbeFurther = Double.infinity
    private var maxBps: Double
    private var pending: [ProbeCluster] = []
    /// The target as last told (libwebrtc estimated_bitrate_bps_, from SetEstimatedBitrate).
    private var estimatedBps = 0.0
    private var timeOfLastLargeDrop = Instant.zero
    private var bpsBeforeLastLargeDrop = 0.0
    private var lastDropProbeTime = Instant.zero
    private var alrStart: Instant?
    private var alrEnd: Instant?
    /// Whether the sender can fill a probe with padding (the controller's
    /// `setPaddingAllowed`): libwebrtc pads only video streams, so an audio-only sender
    /// is never probed for.
    var paddingAllowed = true

    init(maxBps: Double, parameters: GoogCCParameters = GoogCCParameters()) {
        self.maxBps = maxBps
        self.parameters = parameters
    }

    /// Starts the initial probes on the first call; later ends an unanswered wait and
    /// probes periodically in ALR.
    mutating func process(startBps: Double, now: Instant) {
        switch state {
        case .initial:
            probe([parameters.firstProbeScale * startBps, parameters.secondProbeScale * startBps], now: now, further: true)
        case .waitingForResult where now - lastProbeTime > parameters.probeResultTimeout:
            state = .complete
            minBpsToProbeFurther = .infinity
        case .complete where parameters.alrProbing:
            guard let alrStart, estimatedBps > 0 else { return }
            if now >= max(alrStart, lastProbeTime) + parameters.alrProbingInterval {
                probe([parameters.alrProbeScale * estimatedBps], now: now, further: true)
            }
        default: break
        }
    }

    /// A new delay-based estimate: probe further if it came close to the last probe.
    mutating func onEstimate(bps: Double, now: Instant) {
        if state == .waitingForResult, bps > minBpsToProbeFurther {
            probe([parameters.furtherProbeScale * bps], now: now, further: true)
        }
    }

    /// The target changed (libwebrtc `SetEstimatedBitrate`'s drop bookkeeping): a fall
    /// below `bitrateDropThreshold` of the previous target is a large drop.
    mutating func onTarget(bps: Double, now: Instant) {
        if bps < parameters.bitrateDropThreshold * estimatedBps {
            timeOfLastLargeDrop = now
            bpsBeforeLastLargeDrop = estimatedBps
        }
        estimatedBps = bps
    }

    /// Where the application-limited region stands (libwebrtc `SetAlrStartTimeMs`,
    /// `SetAlrEndedTimeMs`): `start` nil outside ALR; leaving it records the end.
    mutating func setAlr(start: Instant?, now: Instant) {
        if alrStart != nil, start == nil { alrEnd = now }
        alrStart = start
    }

    /// The delay-based detector left underuse for normal (libwebrtc `RequestProbe`,
    /// called on `recovered_from_overuse`): in ALR, within `alrEndedTimeout` after it, or
    /// always with `rapidRecovery`, and once probing is complete, one probe at
    /// `probeFractionAfterDrop` × the rate before a large drop that happened less than
    /// `bitrateDropTimeout` ago — unless the estimate is already within the probe's
    /// uncertainty of it, or a drop probe went out less than
    /// `minTimeBetweenDropProbes` ago.
    mutating func requestProbe(now: Instant) {
        guard parameters.dropProbing, state == .complete else { return }
        let inAlr = alrStart != nil
        let alrEndedRecently = alrEnd.map { now - $0 < parameters.alrEndedTimeout } ?? false
        guard inAlr || alrEndedRecently || parameters.rapidRecovery else { return }
        let suggested = parameters.probeFractionAfterDrop * bpsBeforeLastLargeDrop
        guard (1 - parameters.probeUncertainty) * suggested > estimatedBps,
              now - timeOfLastLargeDrop < parameters.bitrateDropTimeout,
              now - lastDropProbeTime > parameters.minTimeBetweenDropProbes else { return }
        lastDropProbeTime = now
        probe([suggested], now: now, further: false)
    }

    /// A new maximum rate mid-call (libwebrtc `ProbeController::SetBitrates`): once
    /// start-up probing is over, a maximum raised above both the old one and the estimate
    /// is probed at once, so the estimate can climb to it in one probe rather than by
    /// additive increase.
    mutating func setMaximum(bps: Double, estimateBps: Double, now: Instant) {
        let old = maxBps
        maxBps = bps
        guard state == .complete, bps > old, estimateBps < bps else { return }
        probe([bps], now: now, further: false)
    }

    /// Clusters requested since the last call.
    mutating func takePending() -> [ProbeCluster] {
        defer { pending.removeAll() }
        return pending
    }

    /// libwebrtc `InitiateProbing`: clusters at `rates` (capped at the maximum), each of
    /// at least `minProbePackets` and `minProbeDuration` of its rate; with `further`,
    /// results above `furtherProbeThreshold` × the last rate probe on. Without padding,
    /// probing is over before it began.
    private mutating func probe(_ rates: [Double], now: Instant, further: Bool) {
        guard paddingAllowed else {
            state = .complete
            return
        }
        var last = 0.0
        for rate in rates.map({ min($0, maxBps) }) where rate > last {
            pending.append(ProbeCluster(id: nextID, rate: Bitrate(bitsPerSecond: Int64(rate)), minPackets: parameters.minProbePackets,
                                        minBytes: Int(rate * parameters.minProbeDuration.seconds / 8),
                                        paddingTime: parameters.minProbeDelta))
            nextID += 1
            last = rate
        }
        lastProbeTime = now
        let reachedMax = last >= maxBps
        state = reachedMax || !further ? .complete : .waitingForResult
        minBpsToProbeFurther = reachedMax || !further ? .infinity : parameters.furtherProbeThreshold * last
    }
}
