/// Maps data values to pixel positions along one axis and chooses its ticks.
public protocol ChartScale: Sendable {
    /// The data values the axis spans (already widened to nice bounds).
    var domain: ClosedRange<Double> { get }
    /// The pixel position of `domain.lowerBound` and of `domain.upperBound` (the second
    /// is smaller for a vertical axis, whose values grow upwards).
    var pixels: (start: Double, end: Double) { get }
    /// The pixel position of `value` (values outside the domain extrapolate).
    func position(of value: Double) -> Double
    /// Values to mark on the axis.
    func ticks() -> [Double]
    /// The label of tick `value`.
    func label(_ value: Double) -> String
}
