/// One small line chart per group, all on the same axes, flowing in rows across the page
/// (Tufte's "small multiples", The Visual Display of Quantitative Information, 1983):
/// readable where one chart with a line per group is not (17 NAT types), and nothing is
/// left out. Each panel draws its own lines in the palette's colours, usually over a
/// reference line (`LineChart.Series.color`) that all panels share.
public struct SmallMultiples: Sendable {
    /// One panel: its heading and lines.
    public struct Panel: Sendable {
        public var heading: String
        public var series: [LineChart.Series]

        public init(heading: String, series: [LineChart.Series]) {
            self.heading = heading
            self.series = series
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var panels: [Panel]
    /// A logarithmic x axis, staircase lines and a fixed y range, as `LineChart` has them.
    public var logarithmicX = false
    public var stepped = false
    public var yRange: ClosedRange<Double>?
    /// Four panels fit across the report's 1,056-pixel column.
    public var panelWidth = 256.0
    public var panelHeight = 190.0

    public init(title: String, xTitle: String, yTitle: String, panels: [Panel]) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.panels = panels
    }

    /// The panels as `<svg>` elements in a wrapping `<div class="multiples">`, every one
    /// with the x range of all panels' data.
    public func render() -> HTMLNode {
        let xs = panels.flatMap { $0.series.flatMap { $0.points.map(\.x) } }
        let positive = logarithmicX ? xs.filter { $0 > 0 } : xs
        let xRange = (positive.min() ?? 1)...(positive.max() ?? 10)
        return .element("div", ["class": "multiples", "role": "group", "aria-label": title], panels.map { panel in
            var chart = LineChart(title: "\(title): \(panel.heading)", xTitle: xTitle, yTitle: yTitle, series: panel.series)
            chart.heading = panel.heading
            chart.logarithmicX = logarithmicX
            chart.stepped = stepped
            chart.yRange = yRange
            chart.xRange = xRange
            chart.width = panelWidth
            chart.height = panelHeight
            chart.left = 56
            return chart.render()
        })
    }
}
