/// A node of a report's document: an element, escaped text, or a sequence of nodes.
///
/// Reports are built as a tree of these and rendered once, so escaping happens in one
/// place (`HTMLRenderer`) and the output is XHTML-compatible (every element closed, every
/// attribute quoted, text escaped): a strict XML parser reads it, and so does a browser.
public enum HTMLNode: Sendable {
    case element(HTMLElement)
    case text(String)
    case fragment([HTMLNode])
    /// Constant style sheet or script text of this module, written as is. It must not
    /// contain `<` or `&` (the renderer checks), so it reads the same as XML and HTML.
    case constant(String)

    /// `<name attributes...>children</name>`.
    public static func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:],
                               _ children: [HTMLNode] = []) -> HTMLNode {
        .element(HTMLElement(name: name, attributes: attributes.map { HTMLAttribute(name: $0.key, value: $0.value) },
                             children: children))
    }

    /// `<name attributes...>text</name>`.
    public static func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) -> HTMLNode {
        element(name, attributes, [.text(text)])
    }

    /// The element with `attributes` added, for attributes that are present only sometimes.
    public func adding(_ attributes: [HTMLAttribute]) -> HTMLNode {
        guard case .element(var element) = self else { return self }
        element.attributes += attributes
        return .element(element)
    }
}

/// An element with its attributes (in the order written) and children.
public struct HTMLElement: Sendable {
    public var name: String
    public var attributes: [HTMLAttribute]
    public var children: [HTMLNode]

    public init(name: String, attributes: [HTMLAttribute] = [], children: [HTMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }
}

/// One attribute; the value is escaped when rendered.
public struct HTMLAttribute: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
