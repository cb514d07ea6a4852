import NetTypes

/// One attribute of a STUN message, typed for every attribute of RFC 8489, ICE (RFC 8445),
/// NAT behavior discovery (RFC 5780) and TURN (RFC 8656); anything else is kept as
/// `.unknown` with its raw value so that decode→encode round-trips.
///
/// Address attributes hold the plain endpoint: the XOR with the magic cookie and
/// transaction ID happens on the wire only.
public enum STUNAttribute: Hashable, Sendable {
    // RFC 8489
    case mappedAddress(Endpoint)
    case xorMappedAddress(Endpoint)
    case username(String)
    /// SHA-256 of username:realm (32 bytes).
    case userhash([UInt8])
    /// HMAC-SHA1 (20 bytes). The encoder's signing API computes it; a literal value is
    /// written as given.
    case messageIntegrity([UInt8])
    /// HMAC-SHA256, possibly truncated (16 to 32 bytes, a multiple of 4).
    case messageIntegritySHA256([UInt8])
    /// CRC-32 of the message XOR 0x5354554e.
    case fingerprint(UInt32)
    case errorCode(STUNErrorCode)
    case realm(String)
    case nonce(String)
    case passwordAlgorithms([STUNPasswordAlgorithm])
    case passwordAlgorithm(STUNPasswordAlgorithm)
    case unknownAttributes([STUNAttributeType])
    case software(String)
    case alternateServer(Endpoint)
    case alternateDomain(String)
    // RFC 8445 (ICE)
    case priority(UInt32)
    case useCandidate
    /// The tie-breaker of a controlled agent.
    case iceControlled(UInt64)
    /// The tie-breaker of a controlling agent.
    case iceControlling(UInt64)
    // RFC 5780
    case changeRequest(changeIP: Bool, changePort: Bool)
    case responseOrigin(Endpoint)
    case otherAddress(Endpoint)
    case responsePort(UInt16)
    case padding([UInt8])
    // RFC 8656 (TURN)
    case channelNumber(UInt16)
    /// Seconds.
    case lifetime(UInt32)
    case xorPeerAddress(Endpoint)
    case data([UInt8])
    case xorRelayedAddress(Endpoint)
    case requestedAddressFamily(AddressFamily)
    /// `reserveNextPort`: the R bit, asking the server to keep port+1 for a later allocation.
    case evenPort(reserveNextPort: Bool)
    /// An IP protocol number (17 for UDP).
    case requestedTransport(UInt8)
    case dontFragment
    case reservationToken(UInt64)
    case additionalAddressFamily(AddressFamily)
    case addressErrorCode(family: AddressFamily, error: STUNErrorCode)
    case icmp(type: UInt8, code: UInt8, errorData: UInt32)
    /// Any other attribute: its type and raw value (without padding).
    case unknown(type: STUNAttributeType, value: [UInt8])

    /// The attribute's type on the wire.
    public var type: STUNAttributeType {
        switch self {
        case .mappedAddress: return .mappedAddress
        case .xorMappedAddress: return .xorMappedAddress
        case .username: return .username
        case .userhash: return .userhash
        case .messageIntegrity: return .messageIntegrity
        case .messageIntegritySHA256: return .messageIntegritySHA256
        case .fingerprint: return .fingerprint
        case .errorCode: return .errorCode
        case .realm: return .realm
        case .nonce: return .nonce
        case .passwordAlgorithms: return .passwordAlgorithms
        case .passwordAlgorithm: return .passwordAlgorithm
        case .unknownAttributes: return .unknownAttributes
        case .software: return .software
        case .alternateServer: return .alternateServer
        case .alternateDomain: return .alternateDomain
        case .priority: return .priority
        case .useCandidate: return .useCandidate
        case .iceControlled: return .iceControlled
        case .iceControlling: return .iceControlling
        case .changeRequest: return .changeRequest
        case .responseOrigin: return .responseOrigin
        case .otherAddress: return .otherAddress
        case .responsePort: return .responsePort
        case .padding: return .padding
        case .channelNumber: return .channelNumber
        case .lifetime: return .lifetime
        case .xorPeerAddress: return .xorPeerAddress
        case .data: return .data
        case .xorRelayedAddress: return .xorRelayedAddress
        case .requestedAddressFamily: return .requestedAddressFamily
        case .evenPort: return .evenPort
        case .requestedTransport: return .requestedTransport
        case .dontFragment: return .dontFragment
        case .reservationToken: return .reservationToken
        case .additionalAddressFamily: return .additionalAddressFamily
        case .addressErrorCode: return .addressErrorCode
        case .icmp: return .icmp
        case .unknown(let type, _): return type
        }
    }
}
