/// `a=setup` (RFC 4145, RFC 8842): which side acts as DTLS client.
///
/// Offers say `actpass`; the answer picks `active` (DTLS client) or `passive` (server).
public enum SetupRole: String, Hashable, Sendable, CaseIterable, SDPAttributeValue {
    case actpass, active, passive, holdconn

    public static let attributeName = "setup"

    public init(attributeValue value: Substring) throws(SDPParseError) {
        guard let role = SetupRole(rawValue: String(value)) else {
            throw Self.bad(value, "expected actpass, active, passive or holdconn")
        }
        self = role
    }

    public var attributeValue: String { rawValue }

    /// The role an answerer takes opposite this one, preferring `active` for `actpass`
    /// (RFC 8842 5.3); `nil` for `holdconn`.
    public var answerRole: SetupRole? {
        switch self {
        case .actpass, .passive: return .active
        case .active: return .passive
        case .holdconn: return nil
        }
    }
}
