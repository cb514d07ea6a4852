/// Lines over an x/y plane: CDFs of connect time (drawn as steps) and time series of
/// bitrates and delays. Both axes are titled with their unit; the x axis may be
/// logarithmic; series are coloured from `ChartPalette` with a legend above the plot.
public struct LineChart: Sendable {
    /// One line.
    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]
        /// A fixed colour, drawn solid (a reference line); nil takes the palette's colour
        /// for the series' index.
        public var color: String?

        public init(label: String, points: [(x: Double, y: Double)], color: String? = nil) {
            self.label = label
            self.points = points
            self.color = color
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
    /// The x range to cover (widened to nice bounds), so that charts drawn side by side
    /// share one scale; by default the data's.
    public var xRange: ClosedRange<Double>?
    /// A heading drawn above the plot instead of the legend (a small multiple's name,
    /// wrapped to the chart's width).
    public var heading: String?
    public var width = 640.0
    public var height = 300.0
    /// The left margin, room for the y tick labels and the rotated y title.
    public var left = 64.0

    public init(title: String, xTitle: String, yTitle: String, series: [Series]) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
    }

    /// The chart as an `<svg>` element. Axes get fewer ticks when the plot is small
    /// (about one per 70 pixels across, one per 40 pixels up), so tick labels never crowd.
    public func render() -> HTMLNode {
        let legend = ChartLegend(labels: series.map(\.label))
        let headingLines = heading.map { TextMetrics.wrap($0, width: width - 16, fontSize: TextMetrics.labelSize, bold: true) } ?? []
        let legendWidth = width - left - 20
        let top = 16 + (heading == nil ? legend.height(width: legendWidth) : Double(headingLines.count) * ChartLegend.rowHeight)
        let layout = ChartLayout(width: width, height: height, top: top, left: left)
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let xBounds = xRange ?? (xs.min() ?? 0)...(xs.max() ?? 1)
        let xTicks = min(5, max(2, Int((layout.horizontal.end - layout.horizontal.start) / 70)))
        let yTicks = min(5, max(2, Int((layout.vertical.start - layout.vertical.end) / 40)))
        let x: any ChartScale = logarithmicX
            ? LogScale(xRange?.lowerBound ?? xs.filter { $0 > 0 }.min() ?? 1, xBounds.upperBound, pixels: layout.horizontal)
            : LinearScale(xBounds.lowerBound, xBounds.upperBound, pixels: layout.horizontal, tickCount: xTicks)
        let yBounds = yRange ?? min(0, ys.min() ?? 0)...max(ys.max() ?? 1, 0)
        let y = LinearScale(yBounds.lowerBound, yBounds.upperBound, pixels: layout.vertical, tickCount: yTicks)
        var nodes = [ChartAxes.draw(x: x, y: y, layout: layout, xTitle: xTitle, yTitle: yTitle)]
        if heading == nil {
            nodes.append(legend.draw(x: layout.left, y: 6, width: legendWidth))
        } else {
            for (index, line) in headingLines.enumerated() {
                nodes.append(SVG.text(line, x: 8, y: 19 + Double(index) * ChartLegend.rowHeight, className: "label strong"))
            }
        }
        for (index, line) in series.enumerated() {
            let pixels = line.points.map { (x: x.position(of: $0.x), y: y.position(of: $0.y)) }
            let d = stepped ? PathData.steps(pixels) : PathData.line(pixels)
            nodes.append(SVG.path(d, color: line.color ?? ChartPalette.color(index), dashed: line.color == nil && ChartPalette.dashed(index),
                                  tooltip: line.label))
        }
        return SVG.root(width: width, height: height, title: title, nodes)
    }
}
