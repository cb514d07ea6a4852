/// The value of ERROR-CODE (and the code part of ADDRESS-ERROR-CODE): a number from
/// 300 to 699 and a human-readable reason phrase.
public struct STUNErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// Class × 100 + number, e.g. 401.
    public var code: Int
    /// UTF-8 reason phrase (at most 127 characters on the wire by RFC 8489).
    public var reason: String

    public init(code: Int, reason: String) { self.code = code; self.reason = reason }
    /// The code with its standard reason phrase.
    public init(_ code: Int) { self.init(code: code, reason: STUNErrorCode.standardReason(code)) }

    /// The phrases RFC 8489 and RFC 8656 suggest.
    public static func standardReason(_ code: Int) -> String {
        switch code {
        case 300: return "Try Alternate"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 420: return "Unknown Attribute"
        case 437: return "Allocation Mismatch"
        case 438: return "Stale Nonce"
        case 440: return "Address Family not Supported"
        case 441: return "Wrong Credentials"
        case 442: return "Unsupported Transport Protocol"
        case 443: return "Peer Address Family Mismatch"
        case 486: return "Allocation Quota Reached"
        case 500: return "Server Error"
        case 508: return "Insufficient Capacity"
        default: return ""
        }
    }

    public static let tryAlternate = STUNErrorCode(300)
    public static let badRequest = STUNErrorCode(400)
    public static let unauthorized = STUNErrorCode(401)
    public static let unknownAttribute = STUNErrorCode(420)
    public static let staleNonce = STUNErrorCode(438)
    public static let serverError = STUNErrorCode(500)

    public var description: String { reason.isEmpty ? "\(code)" : "\(code) \(reason)" }
}
