/// `a=ssrc` (RFC 5576): a source attribute such as `1234 cname:abc` or `1234 msid:s t`.
public struct SSRCAttribute: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "ssrc"

    public var ssrc: UInt32
    /// The source attribute name, e.g. `cname`, `msid`.
    public var name: String
    /// The source attribute value, if any.
    public var value: String?

    public init(ssrc: UInt32, name: String, value: String? = nil) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    public init(attributeValue text: Substring) throws(SDPParseError) {
        guard let space = text.firstIndex(of: " "), let ssrc = UInt32(digits: text[..<space]) else {
            throw Self.bad(text, "expected '<ssrc> <attribute>[:<value>]' with a 32-bit ssrc")
        }
        let source = Attribute(line: text[text.index(after: space)...])
        guard !source.name.isEmpty else { throw Self.bad(text, "missing source attribute name") }
        self.init(ssrc: ssrc, name: source.name, value: source.value)
    }

    public var attributeValue: String { "\(ssrc) " + Attribute(name, value).description }
}
