/// A chart's size and the plot area inside its margins (axes, labels and legend go in
/// the margins).
public struct ChartLayout: Sendable {
    public var width: Double
    public var height: Double
    public var top: Double
    public var right: Double
    public var bottom: Double
    public var left: Double

    public init(width: Double, height: Double, top: Double = 16, right: Double = 20, bottom: Double = 48, left: Double = 64) {
        self.width = width
        self.height = height
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }

    /// Pixels of the plot area from left to right.
    public var horizontal: (start: Double, end: Double) { (left, width - right) }
    /// Pixels of the plot area from bottom to top (values grow upwards).
    public var vertical: (start: Double, end: Double) { (height - bottom, top) }
}
