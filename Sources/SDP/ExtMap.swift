/// `a=extmap` (RFC 8285 8): an RTP header extension and its local id,
/// e.g. `3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01`.
public struct ExtMap: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "extmap"

    /// The extension id: 1-14 for one-byte headers, up to 255 for two-byte headers,
    /// 4096-4351 for ids offered but not yet negotiated.
    public var id: UInt16
    /// An optional direction written as `<id>/<direction>`.
    public var direction: MediaDirection?
    /// The extension URI.
    public var uri: String
    /// Extension attributes after the URI, as written.
    public var extensionAttributes: String?

    public init(id: UInt16, direction: MediaDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2 else { throw Self.bad(value, "expected '<id>[/<direction>] <uri> [<attributes>]'") }
        let idParts = fields[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let id = UInt16(digits: idParts[0]), (1...255).contains(id) || (4096...4351).contains(id) else {
            throw Self.bad(value, "id must be 1-255 or 4096-4351")
        }
        var direction: MediaDirection?
        if idParts.count == 2 {
            guard let d = MediaDirection(rawValue: String(idParts[1])) else {
                throw Self.bad(value, "'\(idParts[1])' is not a direction")
            }
            direction = d
        }
        self.init(id: id, direction: direction, uri: String(fields[1]),
                  extensionAttributes: fields.count == 3 ? String(fields[2]) : nil)
    }

    public var attributeValue: String {
        let head = direction.map { "\(id)/\($0)" } ?? "\(id)"
        return [head, uri, extensionAttributes].compactMap { $0 }.joined(separator: " ")
    }
}
