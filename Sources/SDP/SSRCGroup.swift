/// `a=ssrc-group` (RFC 5576): related sources, e.g. `FID` (media and its RTX) or `SIM`.
public struct SSRCGroup: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "ssrc-group"

    public var semantics: String
    public var ssrcs: [UInt32]

    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard let semantics = fields.first else { throw Self.bad(value, "missing semantics") }
        var ssrcs: [UInt32] = []
        for field in fields.dropFirst() {
            guard let ssrc = UInt32(digits: field) else { throw Self.bad(value, "'\(field)' is not a 32-bit ssrc") }
            ssrcs.append(ssrc)
        }
        self.init(semantics: String(semantics), ssrcs: ssrcs)
    }

    public var attributeValue: String { ([semantics] + ssrcs.map(String.init)).joined(separator: " ") }
}
