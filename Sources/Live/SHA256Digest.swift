import COpenSSL

/// SHA-256 (FIPS 180-4) computed incrementally, for checking a transfer of many messages
/// without keeping them: `update` with each message, `hexDigest` at the end.
public struct SHA256Digest: Sendable {
    private var context = SHA256_CTX()
    /// Bytes hashed so far.
    public private(set) var count = 0

    public init() { SHA256_Init(&context) }

    public mutating func update(_ bytes: [UInt8]) {
        SHA256_Update(&context, bytes, bytes.count)
        count += bytes.count
    }

    /// The digest of everything hashed so far, in lowercase hex (the state is kept, so
    /// hashing may go on).
    public var hexDigest: String {
        var copy = context
        var digest = [UInt8](repeating: 0, count: 32)
        SHA256_Final(&digest, &copy)
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
