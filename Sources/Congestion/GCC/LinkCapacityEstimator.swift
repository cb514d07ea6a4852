/// Tracks the link capacity as an exponential average of the acknowledged rates seen
/// at overuse, with a normalised deviation (libwebrtc link_capacity_estimator.cc;
/// draft-ietf-rmcat-gcc-02 §5.5 describes the same average and variance of the
/// "incoming rate" at decreases). AIMD uses it to switch from multiplicative to
/// additive increase near the capacity.
struct LinkCapacityEstimator: Sendable {
    /// Weight of a sample taken at overuse (libwebrtc OnOveruseDetected: alpha 0.05).
    static let overuseAlpha = 0.05
    /// Normalised deviation bounds, kbps (libwebrtc: clamp(deviation_kbps_, 0.4, 2.5)).
    static let deviationRange = 0.4...2.5

    private(set) var estimateKbps: Double?
    private var deviationKbps = 0.4

    /// One standard deviation in kbps.
    private var deviationEstimateKbps: Double { (deviationKbps * (estimateKbps ?? 0)).squareRoot() }

    /// Estimate + 3 deviations (bps), or infinity without an estimate.
    var upperBoundBps: Double { estimateKbps.map { ($0 + 3 * deviationEstimateKbps) * 1000 } ?? .infinity }
    /// Estimate − 3 deviations (bps), or 0 without an estimate.
    var lowerBoundBps: Double { estimateKbps.map { max(0, $0 - 3 * deviationEstimateKbps) * 1000 } ?? 0 }

    mutating func onOveruseDetected(ackedBps: Double) { update(sampleKbps: ackedBps / 1000, alpha: Self.overuseAlpha) }

    mutating func reset() { estimateKbps = nil }

    private mutating func update(sampleKbps: Double, alpha: Double) {
        let estimate = estimateKbps.map { (1 - alpha) * $0 + alpha * sampleKbps } ?? sampleKbps
        estimateKbps = estimate
        let error = estimate - sampleKbps
        deviationKbps = (1 - alpha) * deviationKbps + alpha * error * error / max(estimate, 1)
        deviationKbps = min(max(deviationKbps, Self.deviationRange.lowerBound), Self.deviationRange.upperBound)
    }
}
