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

    /// Cells are at least this wide and tall; the padding keeps cell text off the cell's edges.
    static let minimumCellWidth = 64.0, minimumCellHeight = 58.0, cellPadding = 4.0, lineHeight = 14.0

    /// The grid as an `<svg>` element, at a size that keeps every text at its full font
    /// size (wide matrices make a wide chart, which the page scrolls rather than shrinks):
    /// cells are as wide as their longest text broken into at most two lines (at `→`,
    /// `/`, `-`, `,` or spaces), row labels get the room their longest label takes, and
    /// column labels that do not fit a cell are written at 45°.
    public func render() -> HTMLNode {
        let cellFont = TextMetrics.tickSize, labelFont = TextMetrics.labelSize
        let textWidth = cells.flatMap { row in row.flatMap { cell in
            cell.lines.enumerated().map { TextMetrics.narrowestWidth($0.element, lines: 2, fontSize: cellFont, bold: $0.offset == 0) }
        } }.max() ?? 0
        let cellWidth = max(Self.minimumCellWidth, textWidth + 2 * Self.cellPadding)
        let wrapped = cells.map { row in row.map { cell in
            cell.lines.enumerated().flatMap { index, line in
                TextMetrics.wrap(line, width: cellWidth - 2 * Self.cellPadding, fontSize: cellFont, bold: index == 0).map { (text: $0, strong: index == 0) }
            }
        } }
        let maximumLines = wrapped.flatMap { $0.map(\.count) }.max() ?? 1
        let cellHeight = max(Self.minimumCellHeight, Double(maximumLines) * Self.lineHeight + 2 * Self.cellPadding + 4)
        let columnWidths = columnLabels.map { TextMetrics.width($0, fontSize: cellFont) }
        let rotated = (columnWidths.max() ?? 0) > cellWidth - 2 * Self.cellPadding
        let diagonal = (columnWidths.max() ?? 0) * 0.7072
        let left = max(TextMetrics.width(rowTitle, fontSize: labelFont, bold: true),
                       rowLabels.map { TextMetrics.width($0, fontSize: labelFont) }.max() ?? 0) + 16
        let top = rotated ? 36 + diagonal : 44.0
        let gridWidth = cellWidth * Double(columnLabels.count), gridHeight = cellHeight * Double(rowLabels.count)
        let right = rotated ? max(12, diagonal + 6 - cellWidth / 2) : 12
        let rampWidth = min(gridWidth, 240)
        let width = max(left + gridWidth + right, left + rampWidth + 14 + TextMetrics.width(scaleTitle, fontSize: labelFont), 320)
        let height = top + gridHeight + 64
        var nodes: [HTMLNode] = [
            SVG.text(columnTitle, x: left + gridWidth / 2, y: 14, anchor: "middle", className: "label strong"),
            SVG.text(rowTitle, x: left - 8, y: top - 10, anchor: "end", className: "label strong"),
        ]
        for (column, label) in columnLabels.enumerated() {
            let x = left + (Double(column) + 0.5) * cellWidth
            nodes.append(rotated ? SVG.rotatedText(label, x: x - 4, y: top - 8, degrees: -45, anchor: "start", className: "tick")
                                 : SVG.text(label, x: x, y: top - 10, anchor: "middle", className: "tick"))
        }
        for (row, label) in rowLabels.enumerated() {
            let y = top + Double(row) * cellHeight
            nodes.append(SVG.text(label, x: left - 8, y: y + cellHeight / 2 + 4, anchor: "end"))
            for (column, cell) in cells[row].enumerated() {
                let x = left + Double(column) * cellWidth
                nodes.append(SVG.rect(x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2,
                                      fill: cell.fraction.map(ChartPalette.heat) ?? "none", tooltip: cell.tooltip))
                let ink = cell.fraction.map(ChartPalette.textOnHeat)
                let lines = wrapped[row][column]
                for (index, line) in lines.enumerated() {
                    let lineY = y + cellHeight / 2 + 4 + (Double(index) - Double(lines.count - 1) / 2) * Self.lineHeight
                    nodes.append(SVG.text(line.text, x: x + cellWidth / 2, y: lineY, anchor: "middle",
                                          className: line.strong ? "cell strong" : "cell", fill: ink))
                }
            }
        }
        nodes.append(colorRamp(x: left, y: top + gridHeight + 16, width: rampWidth))
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
