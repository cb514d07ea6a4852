import COpenSSL

/// The HMAC key of STUN's message integrity (RFC 8489 §9).
///
/// Short-term credentials use the password itself; long-term credentials hash
/// `username:realm:password` with the PASSWORD-ALGORITHM (MD5 by default, or SHA-256).
/// Strings are used as given: callers apply OpaqueString preparation if they need it.
public struct STUNKey: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Short-term credential: the password's UTF-8 bytes.
    public static func shortTerm(password: String) -> STUNKey { STUNKey(bytes: Array(password.utf8)) }

    /// Long-term credential: MD5 or SHA-256 of `username:realm:password`; nil for an
    /// algorithm number other than 1 (MD5) and 2 (SHA-256).
    public static func longTerm(
        username: String, realm: String, password: String, algorithm: STUNPasswordAlgorithm = .md5
    ) -> STUNKey? {
        let input = Array("\(username):\(realm):\(password)".utf8)
        switch algorithm.number {
        case STUNPasswordAlgorithm.md5.number:
            var digest = [UInt8](repeating: 0, count: 16)
            icelab_md5(input, input.count, &digest)
            return STUNKey(bytes: digest)
        case STUNPasswordAlgorithm.sha256.number:
            var digest = [UInt8](repeating: 0, count: 32)
            SHA256(input, input.count, &digest)
            return STUNKey(bytes: digest)
        default:
            return nil
        }
    }
}
