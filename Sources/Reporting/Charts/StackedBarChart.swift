/// Horizontal bars, one per category, each split into coloured segments by share of the
/// category's total (selected candidate-pair types per NAT type): shares are comparable
/// across categories of different size, and each bar is labelled with its total.
public struct StackedBarChart: Sendable {
    public var title: String
    public var xTitle: String
    /// Bar labels, top to bottom.
    public var categories: [String]
    /// Segment labels (the legend), left to right.
    public var segments: [String]
    /// `counts[category][segment]`.
    public var counts: [[Int]]
    /// The chart's width when its labels leave the bars at least `minimumPlotWidth`;
    /// longer labels widen the chart instead of being cut.
    public var width = 640.0
    public var minimumPlotWidth = 360.0

    public init(title: String, xTitle: String, categories: [String], segments: [String], counts: [[Int]]) {
        self.title = title
        self.xTitle = xTitle
        self.categories = categories
        self.segments = segments
        self.counts = counts
    }

    static let barHeight = 22.0, gap = 8.0

    /// The chart as an `<svg>` element; the left margin is as wide as the longest bar
    /// label, so every label is written in full.
    public func render() -> HTMLNode {
        let left = max(categories.map { TextMetrics.width($0, fontSize: TextMetrics.labelSize) }.max() ?? 40, 40) + 16
        let totals = counts.map { $0.reduce(0, +) }
        let right = 12 + (totals.map { TextMetrics.width("n=\($0)", fontSize: TextMetrics.tickSize) }.max() ?? 0)
        let width = max(self.width, left + minimumPlotWidth + right)
        let legend = ChartLegend(labels: segments)
        let top = 16 + legend.height(width: width - left - 20)
        let height = top + Double(categories.count) * (Self.barHeight + Self.gap) + 48
        let layout = ChartLayout(width: width, height: height, top: top, right: right, left: left)
        let x = LinearScale(0, 100, pixels: layout.horizontal)
        var nodes: [HTMLNode] = [legend.draw(x: left, y: 6, width: width - left - 20)]
        for tick in x.ticks() {
            let px = x.position(of: tick)
            nodes.append(SVG.line(px, top, px, layout.vertical.start, className: "grid"))
            nodes.append(SVG.text(x.label(tick), x: px, y: layout.vertical.start + 16, anchor: "middle", className: "tick"))
        }
        nodes.append(SVG.text(xTitle, x: (layout.horizontal.start + layout.horizontal.end) / 2, y: height - 8, anchor: "middle"))
        for (row, category) in categories.enumerated() {
            let y = top + Double(row) * (Self.barHeight + Self.gap) + Self.gap / 2
            let total = totals[row]
            nodes.append(SVG.text(category, x: left - 8, y: y + 15, anchor: "end"))
            var share = 0.0
            for (segment, count) in counts[row].enumerated() where count > 0 {
                let fraction = Double(count) / Double(total) * 100
                let x0 = x.position(of: share)
                share += fraction
                nodes.append(SVG.rect(x: x0, y: y, width: x.position(of: share) - x0, height: Self.barHeight,
                                      fill: ChartPalette.color(segment),
                                      tooltip: "\(category): \(segments[segment]) \(count) of \(total) (\(TickLabel.fixed(fraction, decimals: 1))%)"))
            }
            nodes.append(SVG.text("n=\(total)", x: layout.horizontal.end + 6, y: y + 15, className: "tick"))
        }
        return SVG.root(width: width, height: height, title: title, nodes)
    }
}
