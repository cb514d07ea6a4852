/// Building blocks the sections share: sections with headings, sortable tables, figures.
enum ReportBlocks {
    /// A table cell: content and an optional CSS class (`num` is added to numeric columns).
    struct Cell {
        var content: HTMLNode
        var className: String?

        init(_ content: HTMLNode, className: String? = nil) {
            self.content = content
            self.className = className
        }

        init(_ text: String, className: String? = nil) { self.init(.text(text), className: className) }
    }

    /// `<section id=…><h2>title</h2>…</section>`.
    static func section(id: String, title: String, _ children: [HTMLNode]) -> HTMLNode {
        .element("section", ["id": id], [.element("h2", text: title)] + children)
    }

    static func paragraph(_ text: String, className: String = "note") -> HTMLNode {
        .element("p", ["class": className], text: text)
    }

    /// The key to `ValueLabel`'s abbreviations, when charts shortened any of `values`.
    static func abbreviations(_ values: [String]) -> [HTMLNode] {
        values.contains { ValueLabel.short($0) != $0 } ? [paragraph(ValueLabel.legend)] : []
    }

    /// A chart with a caption. The chart is shown at its natural size and scrolls
    /// sideways where the window is narrower (text is never scaled below its font size);
    /// an `<svg>` wider than the text column (`ReportStyle.columnWidth`) makes a `wide`
    /// figure, which takes the window's width.
    static func figure(_ chart: HTMLNode, caption: String) -> HTMLNode {
        let wide = width(of: chart).map { $0 > ReportStyle.columnWidth } ?? false
        return .element(HTMLElement(name: "figure", attributes: wide ? [HTMLAttribute(name: "class", value: "wide")] : [],
                                    children: [.element("div", ["class": "chart-scroll"], [chart]), .element("figcaption", text: caption)]))
    }

    /// The `width` of an `<svg>` root, nil for other nodes.
    static func width(of chart: HTMLNode) -> Double? {
        guard case .element(let element) = chart, element.name == "svg" else { return nil }
        return element.attributes.first { $0.name == "width" }.flatMap { Double($0.value) }
    }

    /// A table whose columns in `numeric` are right-aligned and sort as numbers; every
    /// table sorts by clicking a header when JavaScript runs (and reads fine without).
    static func table(_ headers: [String], _ rows: [[Cell]], numeric: Set<Int> = []) -> HTMLNode {
        let head: HTMLNode = .element("thead", [:], [.element("tr", [:], headers.enumerated().map { index, header in
            .element("th", ["scope": "col", "class": numeric.contains(index) ? "num" : "text"], text: header)
        })])
        let body: HTMLNode = .element("tbody", [:], rows.map { row in
            .element("tr", [:], row.enumerated().map { index, cell in
                let classes = [numeric.contains(index) ? "num" : nil, cell.className].compactMap { $0 }.joined(separator: " ")
                return .element(HTMLElement(name: "td", attributes: classes.isEmpty ? [] : [HTMLAttribute(name: "class", value: classes)],
                                            children: [cell.content]))
            })
        })
        return .element("div", ["class": "table-wrap"], [.element("table", ["class": "sortable"], [head, body])])
    }

    /// A link to anchor `id` in this document.
    static func link(to id: String, _ text: String) -> HTMLNode {
        .element("a", ["href": "#" + id], text: text)
    }
}

/// A section of the report with its anchor and title for the table of contents.
struct RenderedSection {
    var id: String
    var title: String
    var content: HTMLNode
}
