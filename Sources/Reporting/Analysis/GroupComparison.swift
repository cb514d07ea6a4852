/// A group's figures in a baseline and a candidate sweep, with the verdict on each
/// difference. A change counts only from a threshold on, so noise does not flag:
/// success rate by 1 percentage point, relay share by 5 points, median and p95 connect
/// time by 10 % and at least 5 ms. Lower success, higher relay share and slower connects
/// are regressions.
public struct GroupComparison: Sendable {
    /// Whether a difference is better, worse or within the threshold.
    public enum Verdict: String, Sendable {
        case improved, unchanged, regressed
    }

    public var group: String
    public var baseline: GroupMetrics
    public var candidate: GroupMetrics

    public init(group: String, baseline: GroupMetrics, candidate: GroupMetrics) {
        self.group = group
        self.baseline = baseline
        self.candidate = candidate
    }

    /// Candidate minus baseline, when both exist.
    static func delta(_ baseline: Double?, _ candidate: Double?) -> Double? {
        guard let baseline, let candidate else { return nil }
        return candidate - baseline
    }

    /// The verdict on a difference where larger is worse (`higherIsWorse`) or better,
    /// given the threshold it must reach.
    static func verdict(_ delta: Double?, threshold: Double, higherIsWorse: Bool) -> Verdict {
        guard let delta, abs(delta) >= threshold - 1e-9 else { return .unchanged }
        return (delta > 0) == higherIsWorse ? .regressed : .improved
    }

    public var successDelta: Double? { Self.delta(baseline.successRate, candidate.successRate) }
    public var relayShareDelta: Double? { Self.delta(baseline.relayShare, candidate.relayShare) }
    public var medianDelta: Double? { Self.delta(baseline.medianConnect, candidate.medianConnect) }
    public var p95Delta: Double? { Self.delta(baseline.p95Connect, candidate.p95Connect) }

    public var successVerdict: Verdict { Self.verdict(successDelta, threshold: 0.01, higherIsWorse: false) }
    public var relayShareVerdict: Verdict { Self.verdict(relayShareDelta, threshold: 0.05, higherIsWorse: true) }
    public var medianVerdict: Verdict { Self.verdict(medianDelta, threshold: Self.timeThreshold(baseline.medianConnect), higherIsWorse: true) }
    public var p95Verdict: Verdict { Self.verdict(p95Delta, threshold: Self.timeThreshold(baseline.p95Connect), higherIsWorse: true) }

    /// Whether any figure regressed.
    public var regressed: Bool {
        [successVerdict, relayShareVerdict, medianVerdict, p95Verdict].contains(.regressed)
    }

    static func timeThreshold(_ baseline: Double?) -> Double { max(5, (baseline ?? 0) * 0.1) }
}
