/// A typed view of one attribute's value, such as `ICECandidate` for `a=candidate:...`.
///
/// Conforming types parse the text after `<name>:` and write it back, which lets
/// `AttributeContainer` offer generic typed reading and appending for all of them.
public protocol SDPAttributeValue: Hashable, Sendable {
    /// The attribute name this type reads, e.g. `fingerprint`.
    static var attributeName: String { get }
    /// Parses the attribute value (the text after the first colon).
    init(attributeValue: Substring) throws(SDPParseError)
    /// The attribute value as it is written after the colon.
    var attributeValue: String { get }
}

extension SDPAttributeValue {
    /// The attribute line holding this value.
    public var attribute: Attribute { Attribute(Self.attributeName, attributeValue) }

    /// The error for a malformed value of this attribute.
    static func bad(_ value: some StringProtocol, _ why: String) -> SDPParseError {
        .badAttribute(attributeName, value, why)
    }
}
