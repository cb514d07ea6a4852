/// `a=group` (RFC 5888), most often `BUNDLE` (RFC 9143): media sections sharing a transport.
public struct Group: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "group"
    /// The semantics token that marks a BUNDLE group.
    public static let bundle = "BUNDLE"

    /// `BUNDLE`, `LS`, `FID`, ...
    public var semantics: String
    /// The `mid` values of the grouped sections, in order (the first is the BUNDLE tag).
    public var mids: [String]

    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard let semantics = fields.first else { throw Self.bad(value, "missing group semantics") }
        self.init(semantics: String(semantics), mids: fields.dropFirst().map(String.init))
    }

    public var attributeValue: String { ([semantics] + mids).joined(separator: " ") }
}
