import NetTypes

/// The stable estimate of the link's capacity behind libwebrtc's `stable_target_rate`
/// (LinkCapacityTracker in send_side_bandwidth_estimation.cc): it follows the acknowledged rate (capped by the
/// target) up only slowly — an exponential average with time constant `trackingRate`
/// (libwebrtc field trial WebRTC-Bwe-LinkCapacity `rate`, 10 s) — and falls at once
/// when the delay-based estimate falls below it. Encoders that must not change often
/// (layers, FEC) size themselves by it rather than by the target.
struct LinkCapacityTracker: Sendable {
    private let trackingRate: Duration
    private(set) var estimateBps: Double
    private var lastUpdate: Instant?
    private var lastDelayBasedBps = Double.infinity

    /// Starts at the start rate (libwebrtc `OnStartingRate`).
    init(startBps: Double, trackingRate: Duration) {
        estimateBps = startBps
        self.trackingRate = trackingRate
    }

    /// A new delay-based estimate (libwebrtc `UpdateDelayBasedEstimate`): a fall caps the
    /// capacity at it.
    mutating func onDelayBasedEstimate(bps: Double, now: Instant) {
        if bps < lastDelayBasedBps {
            estimateBps = min(estimateBps, bps)
            lastUpdate = now
        }
        lastDelayBasedBps = bps
    }

    /// The target was updated (libwebrtc `OnRateUpdate`): min(acknowledged, target) above
    /// the estimate pulls it up with weight 1 − e^(−elapsed / trackingRate).
    mutating func onRateUpdate(acknowledgedBps: Double?, targetBps: Double, now: Instant) {
        guard let acknowledgedBps else { return }
        let sample = min(acknowledgedBps, targetBps)
        if sample > estimateBps {
            let alpha = lastUpdate.map { CongestionMath.exponential(-(now - $0).seconds / trackingRate.seconds) } ?? 0
            estimateBps = alpha * estimateBps + (1 - alpha) * sample
        }
        lastUpdate = now
    }
}
