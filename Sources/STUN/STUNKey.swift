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
        let md: OpaquePointer?
        switch algorithm.number {
        case STUNPasswordAlgorithm.md5.number: md = EVP_md5()
        case STUNPasswordAlgorithm.sha256.number: md = EVP_sha256()
        default: return nil
        }
        let input = Array("\(username):\(realm):\(password)".utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        guard EVP_Digest(input, input.count, &digest, &size, md, nil) == 1 else { return nil }
        return STUNKey(bytes: Array(digest[0..<Int(size)]))
    }
}
