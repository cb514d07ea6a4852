import Foundation

/// Short tick and value labels: as many decimals as the step needs, thousands as `k`
/// and millions as `M` (`2.5k`, `10M`).
public enum TickLabel {
    /// Decimals needed to tell ticks `step` apart (0 for steps of 1 and more).
    public static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int((-log10(step) - 1e-9).rounded(.up)))
    }

    /// `value` with `decimals` decimals, trailing zeros kept (aligned axis labels).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", value == 0 ? 0 : value)
    }

    /// `value` for an axis whose ticks are `step` apart, with a `k`/`M` suffix when large.
    public static func format(_ value: Double, step: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e6 && step >= 1e5 { return fixed(value / 1e6, decimals: decimals(for: step / 1e6)) + "M" }
        if magnitude >= 1e3 && step >= 100 { return fixed(value / 1e3, decimals: decimals(for: step / 1e3)) + "k" }
        return fixed(value, decimals: decimals(for: step))
    }
}
