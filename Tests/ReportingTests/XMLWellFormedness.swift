import Testing

/// A small strict XML well-formedness checker for the reports (which are written to be
/// XHTML-compatible): balanced and properly nested elements, double-quoted attributes
/// without duplicates, no raw `<` or stray `&` in text or attributes, one root element.
/// Returns the first problem, or nil.
enum XMLWellFormedness {
    static let entities: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    static func check(_ document: String) -> String? {
        var text = Substring(document)
        if text.hasPrefix("<!DOCTYPE html>") { text = text.dropFirst("<!DOCTYPE html>".count) }
        let chars = Array(text.unicodeScalars)
        var i = 0, stack: [String] = [], roots = 0
        func problem(_ message: String) -> String { "at scalar \(i): \(message) (open: \(stack.suffix(4)))" }
        func isNameScalar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == ":" || c == "_" }
        func name() -> String {
            var n = ""
            while i < chars.count, isNameScalar(chars[i]) { n.unicodeScalars.append(chars[i]); i += 1 }
            return n
        }
        func entity() -> Bool {   // at "&"
            var j = i + 1, n = ""
            while j < chars.count, chars[j] != ";", j - i < 12 { n.unicodeScalars.append(chars[j]); j += 1 }
            guard j < chars.count, chars[j] == ";" else { return false }
            guard entities.contains(n) || (n.hasPrefix("#") && n.dropFirst().allSatisfy(\.isNumber) && n.count > 1) else { return false }
            i = j + 1
            return true
        }
        func skipSpace() { while i < chars.count, chars[i].properties.isWhitespace { i += 1 } }
        while i < chars.count {
            let c = chars[i]
            if c == "&" {
                guard entity() else { return problem("stray &") }
                continue
            }
            guard c == "<" else {
                if stack.isEmpty, !c.properties.isWhitespace { return problem("text outside the root") }
                i += 1
                continue
            }
            i += 1
            if i < chars.count, chars[i] == "/" {
                i += 1
                let n = name()
                skipSpace()
                guard i < chars.count, chars[i] == ">" else { return problem("malformed end tag </\(n)") }
                guard stack.last == n else { return problem("</\(n)> does not close <\(stack.last ?? "nothing")>") }
                stack.removeLast()
                i += 1
                continue
            }
            if String(String.UnicodeScalarView(chars[i..<min(i + 3, chars.count)])) == "!--" {
                while i + 2 < chars.count, !(chars[i] == "-" && chars[i + 1] == "-" && chars[i + 2] == ">") { i += 1 }
                i += 3
                continue
            }
            let n = name()
            guard !n.isEmpty else { return problem("< not starting a tag") }
            if stack.isEmpty { roots += 1 }
            guard roots <= 1 else { return problem("a second root element <\(n)>") }
            var seen: Set<String> = []
            while true {
                let before = i
                skipSpace()
                guard i < chars.count else { return problem("unterminated <\(n)") }
                if chars[i] == ">" { stack.append(n); i += 1; break }
                if chars[i] == "/" {
                    guard i + 1 < chars.count, chars[i + 1] == ">" else { return problem("malformed /> in <\(n)") }
                    i += 2
                    break
                }
                guard i > before else { return problem("attributes of <\(n)> not separated by space") }
                let attribute = name()
                guard !attribute.isEmpty else { return problem("bad attribute in <\(n)>") }
                guard seen.insert(attribute).inserted else { return problem("duplicate attribute \(attribute) in <\(n)>") }
                guard i + 1 < chars.count, chars[i] == "=", chars[i + 1] == "\"" else { return problem("unquoted attribute \(attribute) in <\(n)>") }
                i += 2
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "<" { return problem("< in attribute \(attribute)") }
                    if chars[i] == "&" {
                        guard entity() else { return problem("stray & in attribute \(attribute)") }
                    } else {
                        i += 1
                    }
                }
                i += 1
            }
        }
        if !stack.isEmpty { return problem("unclosed elements") }
        return roots == 1 ? nil : "no root element"
    }
}

@Suite struct XMLWellFormednessTests {
    @Test func acceptsWellFormedAndRejectsCommonMistakes() {
        #expect(XMLWellFormedness.check("<!DOCTYPE html>\n<html lang=\"en\"><p a=\"1 &amp; 2\">x &lt; y<br/></p></html>\n") == nil)
        for bad in ["<p><b></p></b>", "<p a=1></p>", "<p>a & b</p>", "<p>a < b</p>", "<p>", "<p></p><p></p>", "<p a=\"1\" a=\"2\"></p>",
                    "<p a=\"<\"></p>"] {
            #expect(XMLWellFormedness.check(bad) != nil, "\(bad)")
        }
    }
}
