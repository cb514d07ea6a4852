/// Lines over an x/y plane: CDFs of connect time (drawn as steps) and time series of
/// bitrates and delays. Both axes are titled with their unit; the x axis may be
/// logarithmic; series are coloured from `ChartPalette` with a legend above the plot.
public struct LineChart: Sendable {
    /// One line.
    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]

        public init(label: String, points: [(x: Double, y: Double)]) {
            self.label = label
            self.points = points
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var series: [Series]
    /// A logarithmic x axis (for values spanning orders of magnitude).
    public var logarithmicX = false
    /// Staircase lines (an empirical CDF) rather than straight segments.
    public var stepped = false
    /// A fixed y range (e.g. 0...1 for a CDF); by default the data's, from zero.
    public var yRange: ClosedRange<Double>?
    public var width = 640.0
    public var height = 300.0

    public init(title: String, xTitle: String, yTitle: String, series: [Series]) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
    }

    /// The chart as an `<svg>` element.
    public func render() -> HTMLNode {
        let legend = ChartLegend(labels: series.map(\.label))
        let legendWidth = width - 84
        let layout = ChartLayout(width: width, height: height, top: 16 + legend.height(width: legendWidth))
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let x: any ChartScale = logarithmicX
            ? LogScale(xs.filter { $0 > 0 }.min() ?? 1, xs.max() ?? 10, pixels: layout.horizontal)
            : LinearScale(xs.min() ?? 0, xs.max() ?? 1, pixels: layout.horizontal)
        let yBounds = yRange ?? min(0, ys.min() ?? 0)...max(ys.max() ?? 1, 0)
        let y = LinearScale(yBounds.lowerBound, yBounds.upperBound, pixels: layout.vertical)
        var nodes = [ChartAxes.draw(x: x, y: y, layout: layout, xTitle: xTitle, yTitle: yTitle),
                     legend.draw(x: layout.left, y: 6, width: legendWidth)]
        for (index, line) in series.enumerated() {
            let pixels = line.points.map { (x: x.position(of: $0.x), y: y.position(of: $0.y)) }
            let d = stepped ? PathData.steps(pixels) : PathData.line(pixels)
            nodes.append(SVG.path(d, color: ChartPalette.color(index), dashed: ChartPalette.dashed(index), tooltip: line.label))
        }
        return SVG.root(width: width, height: height, title: title, nodes)
    }
}
