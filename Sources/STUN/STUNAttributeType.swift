/// The 16-bit type of a STUN attribute.
///
/// Types 0x0000-0x7FFF are comprehension-required: a receiver that does not know one must
/// reject the message (420 Unknown Attribute); 0x8000-0xFFFF are comprehension-optional.
public struct STUNAttributeType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Whether a receiver must understand this attribute to process the message.
    @inlinable public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    /// Whether this module decodes the type into a typed `STUNAttribute` case.
    public var isKnown: Bool { STUNAttributeType.names[self] != nil }

    public static func < (a: STUNAttributeType, b: STUNAttributeType) -> Bool { a.rawValue < b.rawValue }

    // RFC 8489
    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    public static let username = STUNAttributeType(rawValue: 0x0006)
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    public static let realm = STUNAttributeType(rawValue: 0x0014)
    public static let nonce = STUNAttributeType(rawValue: 0x0015)
    public static let messageIntegritySHA256 = STUNAttributeType(rawValue: 0x001C)
    public static let passwordAlgorithm = STUNAttributeType(rawValue: 0x001D)
    public static let userhash = STUNAttributeType(rawValue: 0x001E)
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    public static let passwordAlgorithms = STUNAttributeType(rawValue: 0x8002)
    public static let alternateDomain = STUNAttributeType(rawValue: 0x8003)
    public static let software = STUNAttributeType(rawValue: 0x8022)
    public static let alternateServer = STUNAttributeType(rawValue: 0x8023)
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)
    // RFC 8445 (ICE)
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)
    // RFC 5780 (NAT behavior discovery)
    public static let changeRequest = STUNAttributeType(rawValue: 0x0003)
    public static let padding = STUNAttributeType(rawValue: 0x0026)
    public static let responsePort = STUNAttributeType(rawValue: 0x0027)
    public static let responseOrigin = STUNAttributeType(rawValue: 0x802B)
    public static let otherAddress = STUNAttributeType(rawValue: 0x802C)
    // RFC 8656 (TURN)
    public static let channelNumber = STUNAttributeType(rawValue: 0x000C)
    public static let lifetime = STUNAttributeType(rawValue: 0x000D)
    public static let xorPeerAddress = STUNAttributeType(rawValue: 0x0012)
    public static let data = STUNAttributeType(rawValue: 0x0013)
    public static let xorRelayedAddress = STUNAttributeType(rawValue: 0x0016)
    public static let requestedAddressFamily = STUNAttributeType(rawValue: 0x0017)
    public static let evenPort = STUNAttributeType(rawValue: 0x0018)
    public static let requestedTransport = STUNAttributeType(rawValue: 0x0019)
    public static let dontFragment = STUNAttributeType(rawValue: 0x001A)
    public static let reservationToken = STUNAttributeType(rawValue: 0x0022)
    public static let additionalAddressFamily = STUNAttributeType(rawValue: 0x8000)
    public static let addressErrorCode = STUNAttributeType(rawValue: 0x8001)
    public static let icmp = STUNAttributeType(rawValue: 0x8004)

    /// The registry names of the known types.
    static let names: [STUNAttributeType: String] = [
        .mappedAddress: "MAPPED-ADDRESS", .username: "USERNAME", .messageIntegrity: "MESSAGE-INTEGRITY",
        .errorCode: "ERROR-CODE", .unknownAttributes: "UNKNOWN-ATTRIBUTES", .realm: "REALM", .nonce: "NONCE",
        .messageIntegritySHA256: "MESSAGE-INTEGRITY-SHA256", .passwordAlgorithm: "PASSWORD-ALGORITHM",
        .userhash: "USERHASH", .xorMappedAddress: "XOR-MAPPED-ADDRESS", .passwordAlgorithms: "PASSWORD-ALGORITHMS",
        .alternateDomain: "ALTERNATE-DOMAIN", .software: "SOFTWARE", .alternateServer: "ALTERNATE-SERVER",
        .fingerprint: "FINGERPRINT", .priority: "PRIORITY", .useCandidate: "USE-CANDIDATE",
        .iceControlled: "ICE-CONTROLLED", .iceControlling: "ICE-CONTROLLING", .changeRequest: "CHANGE-REQUEST",
        .padding: "PADDING", .responsePort: "RESPONSE-PORT", .responseOrigin: "RESPONSE-ORIGIN",
        .otherAddress: "OTHER-ADDRESS", .channelNumber: "CHANNEL-NUMBER", .lifetime: "LIFETIME",
        .xorPeerAddress: "XOR-PEER-ADDRESS", .data: "DATA", .xorRelayedAddress: "XOR-RELAYED-ADDRESS",
        .requestedAddressFamily: "REQUESTED-ADDRESS-FAMILY", .evenPort: "EVEN-PORT",
        .requestedTransport: "REQUESTED-TRANSPORT", .dontFragment: "DONT-FRAGMENT",
        .reservationToken: "RESERVATION-TOKEN", .additionalAddressFamily: "ADDITIONAL-ADDRESS-FAMILY",
        .addressErrorCode: "ADDRESS-ERROR-CODE", .icmp: "ICMP",
    ]

    public var description: String {
        STUNAttributeType.names[self] ?? "0x" + String(rawValue, radix: 16)
    }
}
