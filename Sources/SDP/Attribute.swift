/// One `a=` line: a property attribute (`a=rtcp-mux`) or a value attribute (`a=mid:0`).
///
/// The list of attributes keeps every line as written, known or not, so that a parsed
/// description serializes back byte for byte; typed views (`AttributeContainer`) read it.
public struct Attribute: Hashable, Sendable, CustomStringConvertible {
    /// The attribute name, before the first `:`.
    public var name: String
    /// Everything after the first `:`, or `nil` for a property attribute without a colon.
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Splits the text after `a=` at its first colon.
    init(line text: Substring) {
        if let colon = text.firstColon {
            name = String(text[..<colon])
            value = String(text[text.index(after: colon)...])
        } else {
            name = String(text)
            value = nil
        }
    }

    /// The text after `a=`.
    public var description: String { value.map { "\(name):\($0)" } ?? name }
}
