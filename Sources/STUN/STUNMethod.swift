/// A STUN method (12 bits): what a request, response or indication is about.
///
/// A struct rather than an enum so that messages with methods this module does not know
/// still decode and round-trip.
public struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 12-bit method number.
    public let rawValue: UInt16

    /// `rawValue` is masked to 12 bits.
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    /// RFC 8489: the only method of plain STUN.
    public static let binding = STUNMethod(rawValue: 0x001)
    /// RFC 8656 (TURN): create a relayed transport address.
    public static let allocate = STUNMethod(rawValue: 0x003)
    /// RFC 8656: extend or delete an allocation.
    public static let refresh = STUNMethod(rawValue: 0x004)
    /// RFC 8656: client-to-server data indication.
    public static let send = STUNMethod(rawValue: 0x006)
    /// RFC 8656: server-to-client data indication.
    public static let data = STUNMethod(rawValue: 0x007)
    /// RFC 8656: install permissions for peer addresses.
    public static let createPermission = STUNMethod(rawValue: 0x008)
    /// RFC 8656: bind a channel number to a peer.
    public static let channelBind = STUNMethod(rawValue: 0x009)

    public var description: String {
        switch self {
        case .binding: return "Binding"
        case .allocate: return "Allocate"
        case .refresh: return "Refresh"
        case .send: return "Send"
        case .data: return "Data"
        case .createPermission: return "CreatePermission"
        case .channelBind: return "ChannelBind"
        default: return "Method(0x\(String(rawValue, radix: 16)))"
        }
    }
}
