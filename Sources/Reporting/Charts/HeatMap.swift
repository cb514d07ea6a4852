/// A grid of cells coloured by a fraction (0...1, viridis) with lines of text in each
/// cell: the NAT traversal matrix, success rate by the two sides' NAT types. A colour
/// ramp under the grid explains the colours.
public struct HeatMap: Sendable {
    /// One cell; `fraction` nil draws an empty cell (no runs).
    public struct Cell: Sendable {
        public var fraction: Double?
        public var lines: [String]
        public var tooltip: String

        public init(fraction: Double?, lines: [String], tooltip: String) {
            self.fraction = fraction
            self.lines = lines
            self.tooltip = tooltip
        }
    }

    public var title: String
    public var rowTitle: String
    public var columnTitle: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `cells[row][column]`.
    public var cells: [[Cell]]
    /// What the colour means, e.g. `success rate (%)`.
    public var scaleTitle: String

    public init(title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String],
                cells: [[Cell]], scaleTitle: String) {
        self.title = title
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.scaleTitle = scaleTitle
    }

    static let cellHeight = 58.0

    /// The grid as an `<svg>` element.
    public func render() -> HTMLNode {
        let textWidths = (columnLabels + cells.flatMap { $0.flatMap(\.lines) }).map { SVG.textWidth($0, fontSize: 11) }
        let cellWidth = max(96, (textWidths.max() ?? 0) + 12)
        let left = max(SVG.textWidth(rowTitle), rowLabels.map { SVG.textWidth($0) }.max() ?? 0) + 16
        let top = 44.0
        let gridWidth = cellWidth * Double(columnLabels.count), gridHeight = Self.cellHeight * Double(rowLabels.count)
        let width = max(left + gridWidth + 12, 320), height = top + gridHeight + 64
        var nodes: [HTMLNode] = [
            SVG.text(columnTitle, x: left + gridWidth / 2, y: 14, anchor: "middle", className: "label strong"),
            SVG.text(rowTitle, x: left - 8, y: 34, anchor: "end", className: "label strong"),
        ]
        for (column, label) in columnLabels.enumerated() {
            nodes.append(SVG.text(label, x: left + (Double(column) + 0.5) * cellWidth, y: 34, anchor: "middle", className: "tick"))
        }
        for (row, label) in rowLabels.enumerated() {
            let y = top + Double(row) * Self.cellHeight
            nodes.append(SVG.text(label, x: left - 8, y: y + Self.cellHeight / 2 + 4, anchor: "end"))
            for (column, cell) in cells[row].enumerated() {
                let x = left + Double(column) * cellWidth
                nodes.append(SVG.rect(x: x + 1, y: y + 1, width: cellWidth - 2, height: Self.cellHeight - 2,
                                      fill: cell.fraction.map(ChartPalette.heat) ?? "none", tooltip: cell.tooltip))
                let ink = cell.fraction.map(ChartPalette.textOnHeat)
                for (index, line) in cell.lines.enumerated() {
                    let lineY = y + Self.cellHeight / 2 + 4 + (Double(index) - Double(cell.lines.count - 1) / 2) * 15
                    nodes.append(SVG.text(line, x: x + cellWidth / 2, y: lineY, anchor: "middle",
                                          className: index == 0 ? "cell strong" : "cell", fill: ink))
                }
            }
        }
        nodes.append(colorRamp(x: left, y: top + gridHeight + 16, width: min(gridWidth, 240)))
        return SVG.root(width: width, height: height, title: title, nodes)
    }

    /// Ten swatches from 0 to 100 % with the scale's title.
    func colorRamp(x: Double, y: Double, width: Double) -> HTMLNode {
        let steps = 10, swatch = width / Double(steps)
        var nodes: [HTMLNode] = (0..<steps).map { step in
            SVG.rect(x: x + Double(step) * swatch, y: y, width: swatch, height: 10, fill: ChartPalette.heat((Double(step) + 0.5) / Double(steps)))
        }
        nodes.append(SVG.text("0", x: x, y: y + 24, anchor: "start", className: "tick"))
        nodes.append(SVG.text("100", x: x + width, y: y + 24, anchor: "end", className: "tick"))
        nodes.append(SVG.text(scaleTitle, x: x + width + 10, y: y + 10))
        return SVG.group(["class": "ramp"], nodes)
    }
}
