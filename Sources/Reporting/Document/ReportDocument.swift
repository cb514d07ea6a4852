/// The whole page: head with the inline style sheet, a title and table of contents, the
/// sections that have data, a footer, and the optional sorting script.
enum ReportDocument {
    static func build(title: String, subtitle: String, sections: [RenderedSection], footer: String) -> HTMLNode {
        let head: HTMLNode = .element("head", [:], [
            .element("meta", ["charset": "utf-8"]),
            .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            .element("meta", ["name": "color-scheme", "content": "light dark"]),
            .element("title", text: title),
            .element("style", [:], [.constant(ReportStyle.css)]),
        ])
        let navigation: HTMLNode = .element("nav", ["aria-label": "Sections"], [
            .element("ol", [:], sections.map { .element("li", [:], [ReportBlocks.link(to: $0.id, $0.title)]) }),
        ])
        let body: HTMLNode = .element("body", [:], [
            .element("header", [:], [.element("h1", text: title), .element("p", ["class": "subtitle"], text: subtitle), navigation]),
            .element("main", [:], sections.map(\.content)),
            .element("footer", [:], [.element("p", text: footer)]),
            .element("script", [:], [.constant(ReportScript.javascript)]),
        ])
        return .element("html", ["lang": "en"], [head, body])
    }
}
