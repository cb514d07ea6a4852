import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, so that tick labels are
/// short round numbers (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
public enum NiceTicks {
    /// The nice step that divides `span` into about `count` intervals.
    public static func step(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let residual = raw / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// `lower...upper` widened to multiples of the nice step (a degenerate or empty
    /// range is widened around its value).
    public static func domain(_ lower: Double, _ upper: Double, count: Int) -> ClosedRange<Double> {
        var (low, high) = (min(lower, upper), max(lower, upper))
        if high - low < 1e-12 {
            let pad = low == 0 ? 1 : abs(low) / 2
            low = low >= 0 ? max(0, low - pad) : low - pad
            high += pad
        }
        let s = step(span: high - low, count: count)
        return ((low / s).rounded(.down) * s)...((high / s).rounded(.up) * s)
    }

    /// Multiples of the nice step inside `domain`, snapped to the step's precision.
    public static func ticks(in domain: ClosedRange<Double>, count: Int) -> [Double] {
        let s = step(span: domain.upperBound - domain.lowerBound, count: count)
        let first = (domain.lowerBound / s - 1e-9).rounded(.up)
        let last = (domain.upperBound / s + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { snap($0 * s, to: s) }
    }

    /// `value` rounded to the decimals `step` has, removing floating-point residue
    /// (`0.30000000000000004` → `0.3`).
    static func snap(_ value: Double, to step: Double) -> Double {
        let decimals = TickLabel.decimals(for: step)
        let factor = pow(10, Double(decimals))
        return (value * factor).rounded() / factor
    }
}
