/// SVG elements of charts, with coordinates formatted compactly. Colours of text and
/// axes come from CSS classes (`axis`, `grid`, `label`) so that they follow light and
/// dark mode; data colours are explicit.
enum SVG {
    /// The root `<svg>` of a chart: `width`×`height` user units scaled to the page width,
    /// labelled for screen readers by `title`.
    static func root(width: Double, height: Double, title: String, _ children: [HTMLNode]) -> HTMLNode {
        .element("svg", ["class": "chart", "viewBox": "0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))",
                         "width": SVGNumber.format(width), "role": "img", "aria-label": title],
                 [.element("title", text: title)] + children)
    }

    static func group(_ attributes: KeyValuePairs<String, String> = [:], _ children: [HTMLNode]) -> HTMLNode {
        .element("g", attributes, children)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, className: String) -> HTMLNode {
        .element("line", ["x1": SVGNumber.format(x1), "y1": SVGNumber.format(y1), "x2": SVGNumber.format(x2),
                          "y2": SVGNumber.format(y2), "class": className])
    }

    /// A filled rectangle, with a native tooltip when `tooltip` is given.
    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, tooltip: String? = nil) -> HTMLNode {
        .element("rect", ["x": SVGNumber.format(x), "y": SVGNumber.format(y), "width": SVGNumber.format(max(width, 0)),
                          "height": SVGNumber.format(max(height, 0)), "fill": fill],
                 tooltip.map { [.element("title", text: $0)] } ?? [])
    }

    /// Text at (`x`, `y`); `anchor` is `start`, `middle` or `end`.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", className: String = "label",
                     fill: String? = nil) -> HTMLNode {
        let node: HTMLNode = .element("text", ["x": SVGNumber.format(x), "y": SVGNumber.format(y), "text-anchor": anchor,
                                               "class": className], text: content)
        return fill.map { node.adding([HTMLAttribute(name: "fill", value: $0)]) } ?? node
    }

    /// Text rotated by `degrees` (negative: counter-clockwise) about its anchor (`x`, `y`).
    static func rotatedText(_ content: String, x: Double, y: Double, degrees: Double, anchor: String, className: String) -> HTMLNode {
        .element("text", ["x": "0", "y": "0", "text-anchor": anchor, "class": className,
                          "transform": "translate(\(SVGNumber.format(x)) \(SVGNumber.format(y))) rotate(\(SVGNumber.format(degrees)))"],
                 text: content)
    }

    /// A stroked, unfilled path in `color`, dashed when `dashed`.
    static func path(_ d: String, color: String, dashed: Bool, tooltip: String) -> HTMLNode {
        let node: HTMLNode = .element("path", ["d": d, "fill": "none", "stroke": color, "stroke-width": "2"],
                                      [.element("title", text: tooltip)])
        return dashed ? node.adding([HTMLAttribute(name: "stroke-dasharray", value: "6 4")]) : node
    }
}
