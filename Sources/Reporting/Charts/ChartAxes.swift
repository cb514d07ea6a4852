/// The axes of an x/y chart: grid lines at the ticks, tick labels, axis lines and
/// titles that name the unit (`connect time (ms)`).
public enum ChartAxes {
    public static func draw(x: any ChartScale, y: any ChartScale, layout: ChartLayout, xTitle: String, yTitle: String) -> HTMLNode {
        var nodes: [HTMLNode] = []
        let (left, right) = layout.horizontal, (bottom, top) = layout.vertical
        for tick in x.ticks() {
            let px = x.position(of: tick)
            nodes.append(SVG.line(px, top, px, bottom, className: "grid"))
            nodes.append(SVG.text(x.label(tick), x: px, y: bottom + 16, anchor: "middle", className: "tick"))
        }
        for tick in y.ticks() {
            let py = y.position(of: tick)
            nodes.append(SVG.line(left, py, right, py, className: "grid"))
            nodes.append(SVG.text(y.label(tick), x: left - 6, y: py + 4, anchor: "end", className: "tick"))
        }
        nodes.append(SVG.line(left, bottom, right, bottom, className: "axis"))
        nodes.append(SVG.line(left, top, left, bottom, className: "axis"))
        nodes.append(SVG.text(xTitle, x: (left + right) / 2, y: layout.height - 8, anchor: "middle"))
        nodes.append(SVG.rotatedText(yTitle, x: 14, y: (top + bottom) / 2, degrees: -90, anchor: "middle", className: "label"))
        return SVG.group(["class": "axes"], nodes)
    }
}
