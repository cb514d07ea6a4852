import NetTypes

/// A STUN message: type, transaction ID and attributes in wire order.
///
/// A plain value: `encoded()` turns it into bytes, `init(decoding:)` back. Integrity and
/// fingerprint are computed by `encoded(authenticator:...)` and checked on a
/// `DecodedSTUNMessage`, which keeps the received bytes.
public struct STUNMessage: Hashable, Sendable {
    public var type: STUNMessageType
    public var transactionID: STUNTransactionID
    public var attributes: [STUNAttribute]

    public init(type: STUNMessageType, transactionID: STUNTransactionID, attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// Decodes one message that fills `bytes` exactly.
    public init(decoding bytes: [UInt8]) throws(STUNDecodeError) {
        self = try DecodedSTUNMessage(decoding: bytes).message
    }

    /// The first attribute of `type`, if any.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// Comprehension-required attribute types (0x0000-0x7FFF) this module does not know:
    /// what a server lists in UNKNOWN-ATTRIBUTES of a 420 response.
    public var unknownComprehensionRequired: [STUNAttributeType] {
        attributes.compactMap {
            if case .unknown(let type, _) = $0, type.isComprehensionRequired { return type }
            return nil
        }
    }

    /// The first value `extract` finds in the attributes, in wire order.
    public func first<Value>(_ extract: (STUNAttribute) -> Value?) -> Value? {
        for attribute in attributes { if let value = extract(attribute) { return value } }
        return nil
    }

    /// XOR-MAPPED-ADDRESS, falling back to MAPPED-ADDRESS (RFC 3489 servers).
    public var mappedAddress: Endpoint? {
        first { if case .xorMappedAddress(let e) = $0 { e } else { nil } }
            ?? first { if case .mappedAddress(let e) = $0 { e } else { nil } }
    }

    /// OTHER-ADDRESS (RFC 5780): the server's alternate IP and port.
    public var otherAddress: Endpoint? { first { if case .otherAddress(let e) = $0 { e } else { nil } } }

    /// RESPONSE-ORIGIN (RFC 5780): where the server sent the response from.
    public var responseOrigin: Endpoint? { first { if case .responseOrigin(let e) = $0 { e } else { nil } } }

    /// ERROR-CODE.
    public var errorCode: STUNErrorCode? { first { if case .errorCode(let e) = $0 { e } else { nil } } }

    /// USERNAME.
    public var username: String? { first { if case .username(let u) = $0 { u } else { nil } } }
}
