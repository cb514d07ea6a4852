/// Which message-integrity attribute protects a message.
public enum STUNIntegrityAlgorithm: Hashable, Sendable {
    /// MESSAGE-INTEGRITY: HMAC-SHA1, 20 bytes.
    case sha1
    /// MESSAGE-INTEGRITY-SHA256: HMAC-SHA256, 32 bytes.
    case sha256

    public var attributeType: STUNAttributeType {
        self == .sha1 ? .messageIntegrity : .messageIntegritySHA256
    }

    /// The full MAC size in bytes.
    public var macSize: Int { self == .sha1 ? 20 : 32 }
}
