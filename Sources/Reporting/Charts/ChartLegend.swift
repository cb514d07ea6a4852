/// A chart's legend: a swatch and a label per series, flowing left to right and
/// wrapping to the chart's width.
public struct ChartLegend: Sendable {
    public struct Item: Sendable {
        public var label: String
        public var color: String
        public var dashed: Bool

        public init(label: String, color: String, dashed: Bool = false) {
            self.label = label
            self.color = color
            self.dashed = dashed
        }
    }

    public var items: [Item]
    static let rowHeight = 18.0

    public init(items: [Item]) { self.items = items }

    /// The series' legend: item `i` in `ChartPalette.color(i)`.
    public init(labels: [String]) {
        items = labels.enumerated().map { Item(label: $0.element, color: ChartPalette.color($0.offset), dashed: ChartPalette.dashed($0.offset)) }
    }

    /// Where each item goes when the legend starts at (`x`, `y`) and may be `width` wide.
    public func positions(x: Double, y: Double, width: Double) -> [(x: Double, y: Double)] {
        var positions: [(x: Double, y: Double)] = []
        var (cx, cy) = (x, y)
        for item in items {
            let itemWidth = 26 + TextMetrics.width(item.label, fontSize: TextMetrics.labelSize)
            if cx > x && cx + itemWidth > x + width {
                (cx, cy) = (x, cy + ChartLegend.rowHeight)
            }
            positions.append((cx, cy))
            cx += itemWidth + 12
        }
        return positions
    }

    /// The height the legend takes at `width`.
    public func height(width: Double) -> Double {
        guard let last = positions(x: 0, y: 0, width: width).last else { return 0 }
        return last.y + ChartLegend.rowHeight
    }

    /// The legend's SVG group.
    public func draw(x: Double, y: Double, width: Double) -> HTMLNode {
        var nodes: [HTMLNode] = []
        for (item, position) in zip(items, positions(x: x, y: y, width: width)) {
            let swatch: HTMLNode = .element("line", ["x1": SVGNumber.format(position.x), "y1": SVGNumber.format(position.y + 9),
                                                     "x2": SVGNumber.format(position.x + 20), "y2": SVGNumber.format(position.y + 9),
                                                     "stroke": item.color, "stroke-width": "6"])
            nodes.append(item.dashed ? swatch.adding([HTMLAttribute(name: "stroke-dasharray", value: "6 3")]) : swatch)
            nodes.append(SVG.text(item.label, x: position.x + 26, y: position.y + 13))
        }
        return SVG.group(["class": "legend"], nodes)
    }
}
