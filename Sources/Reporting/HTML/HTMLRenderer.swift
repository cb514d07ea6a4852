/// Writes an `HTMLNode` tree as text, escaping every text and attribute value.
///
/// Elements without children are written `<x/>` when HTML allows it (void elements and
/// SVG shapes, which browsers read as self-closing) and `<x></x>` otherwise, so that the
/// same bytes parse identically as HTML5 and as XML.
public enum HTMLRenderer {
    /// Elements an HTML parser treats as closed when written `<x/>`.
    static let selfClosing: Set<String> = ["meta", "br", "hr", "img", "input", "link", "rect", "line", "path", "circle",
                                           "polyline", "polygon"]

    /// The document: `<!DOCTYPE html>` followed by `root`.
    public static func document(_ root: HTMLNode) -> String {
        var output = "<!DOCTYPE html>\n"
        output.reserveCapacity(1 << 16)
        write(root, into: &output)
        output += "\n"
        return output
    }

    /// `node` as text, appended to `output`.
    public static func write(_ node: HTMLNode, into output: inout String) {
        switch node {
        case .text(let text):
            escape(text, attribute: false, into: &output)
        case .fragment(let nodes):
            for child in nodes { write(child, into: &output) }
        case .constant(let text):
            precondition(!text.contains("<") && !text.contains("&"), "constant text must not contain < or &")
            output += text
        case .element(let element):
            output += "<"
            output += element.name
            for attribute in element.attributes {
                output += " "
                output += attribute.name
                output += "=\""
                escape(attribute.value, attribute: true, into: &output)
                output += "\""
            }
            if element.children.isEmpty && selfClosing.contains(element.name) {
                output += "/>"
                return
            }
            output += ">"
            for child in element.children { write(child, into: &output) }
            output += "</"
            output += element.name
            output += ">"
        }
    }

    /// Appends `text` with `&`, `<`, `>` (and `"` in attributes) replaced by entities and
    /// control characters other than tab and newline dropped (XML does not allow them).
    static func escape(_ text: String, attribute: Bool, into output: inout String) {
        let needsEscaping = text.utf8.contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || (attribute && $0 == UInt8(ascii: "\"")) || ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) }
        guard needsEscaping else {
            output += text
            return
        }
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where attribute: output += "&quot;"
            case "\t", "\n": output.unicodeScalars.append(character)
            case _ where character.value < 0x20: continue
            default: output.unicodeScalars.append(character)
            }
        }
    }
}
