/// The checks the parser runs on attributes it knows, so that a malformed `candidate`,
/// `fingerprint`, `rtpmap`, ... is reported with its line number instead of being
/// silently skipped later by a typed accessor. Unknown attributes are not checked.
enum AttributeValidation {
    /// The typed attribute values, each checked by parsing it.
    static let valueTypes: [any SDPAttributeValue.Type] = [
        ICECandidate.self, Fingerprint.self, SetupRole.self, Group.self, MSID.self, SSRCAttribute.self,
        SSRCGroup.self, RTPMap.self, FormatParameters.self, RTCPFeedback.self, ExtMap.self, RTCPAttribute.self,
    ]

    /// Throws when `attribute` is known and its value does not parse.
    static func validate(_ attribute: Attribute) throws(SDPParseError) {
        let value = (attribute.value ?? "")[...]
        switch attribute.name {
        case AttributeName.sctpPort: try number(attribute.name, UInt16.self, value)
        case AttributeName.maxMessageSize: try number(attribute.name, UInt64.self, value)
        case AttributeName.mid:
            if value.isEmpty || value.contains(" ") { throw .badAttribute(attribute.name, value, "must be one non-empty token") }
        default:
            if let type = valueTypes.first(where: { $0.attributeName == attribute.name }) { try check(type, value) }
        }
    }

    private static func check<T: SDPAttributeValue>(_ type: T.Type, _ value: Substring) throws(SDPParseError) {
        _ = try T(attributeValue: value)
    }

    private static func number<T: FixedWidthInteger>(_ name: String, _: T.Type, _ value: Substring) throws(SDPParseError) {
        if T(digits: value) == nil { throw .badAttribute(name, value, "must be a number from 0 to \(T.max)") }
    }
}
