import Foundation

/// A base-10 logarithmic axis over whole decades, for values spanning orders of
/// magnitude (connect times from 20 ms to 20 s). Ticks at 1, 2 and 5 times each power
/// of ten when a decade is at least 100 pixels long (room for their labels), at powers
/// of ten otherwise.
public struct LogScale: ChartScale {
    public let domain: ClosedRange<Double>
    public let pixels: (start: Double, end: Double)

    /// A scale covering `lower...upper` widened to powers of ten; values must be
    /// positive (non-positive bounds are raised to a thousandth of `upper`).
    public init(_ lower: Double, _ upper: Double, pixels: (start: Double, end: Double)) {
        let high = max(upper, lower, 1e-9)
        let low = lower > 0 ? min(lower, high) : high / 1000
        var decades = (log10(low).rounded(.down), log10(high).rounded(.up))
        if decades.0 == decades.1 { decades.1 += 1 }
        domain = pow(10, decades.0)...pow(10, decades.1)
        self.pixels = pixels
    }

    public func position(of value: Double) -> Double {
        let low = log10(domain.lowerBound), high = log10(domain.upperBound)
        let fraction = (log10(max(value, domain.lowerBound / 1e6)) - low) / (high - low)
        return pixels.start + fraction * (pixels.end - pixels.start)
    }

    public func ticks() -> [Double] {
        let first = Int(log10(domain.lowerBound).rounded()), last = Int(log10(domain.upperBound).rounded())
        let decadePixels = abs(pixels.end - pixels.start) / Double(max(last - first, 1))
        let multiples: [Double] = decadePixels >= 100 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for exponent in first...last {
            for multiple in multiples {
                let value = multiple * pow(10, Double(exponent))
                if value <= domain.upperBound * (1 + 1e-9) { ticks.append(value) }
            }
        }
        return ticks
    }

    public func label(_ value: Double) -> String { TickLabel.format(value, step: value) }
}
