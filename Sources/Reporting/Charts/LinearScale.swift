/// A linear axis over a nice domain: the data's range widened to multiples of a
/// 1-2-5 step, ticks on every step.
public struct LinearScale: ChartScale {
    public let domain: ClosedRange<Double>
    public let pixels: (start: Double, end: Double)
    public let tickCount: Int

    /// A scale covering `lower...upper` (widened to nice bounds) drawn from pixel
    /// `pixels.start` to `pixels.end`, with about `tickCount` intervals.
    public init(_ lower: Double, _ upper: Double, pixels: (start: Double, end: Double), tickCount: Int = 5) {
        domain = NiceTicks.domain(lower, upper, count: tickCount)
        self.pixels = pixels
        self.tickCount = tickCount
    }

    public func position(of value: Double) -> Double {
        let fraction = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return pixels.start + fraction * (pixels.end - pixels.start)
    }

    public func ticks() -> [Double] { NiceTicks.ticks(in: domain, count: tickCount) }

    public func label(_ value: Double) -> String {
        TickLabel.format(value, step: NiceTicks.step(span: domain.upperBound - domain.lowerBound, count: tickCount))
    }
}
