import COpenSSL

/// Computes STUN message-integrity MACs for one key.
///
/// Holds keyed OpenSSL HMAC contexts (created on first use per algorithm) so that each
/// message costs one context reset, not a key schedule: the fast path for cores that sign
/// or check many messages. A reference type because it owns C state; not `Sendable`:
/// each core keeps its own.
public final class STUNAuthenticator {
    public let key: STUNKey
    private var contexts: [OpaquePointer?] = [nil, nil]

    public init(key: STUNKey) { self.key = key }

    deinit { for context in contexts { EVP_MAC_CTX_free(context) } }

    private func context(_ algorithm: STUNIntegrityAlgorithm) -> OpaquePointer {
        let slot = algorithm == .sha1 ? 0 : 1
        if let context = contexts[slot] { return context }
        let created = key.bytes.withUnsafeBufferPointer {
            icelab_hmac_context_new(algorithm == .sha1 ? "SHA1" : "SHA256", $0.baseAddress, $0.count)
        }
        guard let created else { fatalError("OpenSSL provides no HMAC for \(algorithm)") }
        contexts[slot] = created
        return created
    }

    /// The HMAC of arbitrary `bytes` under this key (full length: 20 bytes for SHA-1, 32
    /// for SHA-256). For tokens a server signs to stay stateless, such as TURN nonces.
    public func mac(of bytes: [UInt8], algorithm: STUNIntegrityAlgorithm = .sha256) -> [UInt8] {
        let ctx = context(algorithm)
        var out = [UInt8](repeating: 0, count: 32)
        var size = 0
        let ok = EVP_MAC_init(ctx, nil, 0, nil) == 1 && EVP_MAC_update(ctx, bytes, bytes.count) == 1
            && EVP_MAC_final(ctx, &out, &size, 32) == 1
        if !ok { fatalError("OpenSSL HMAC failed") }
        return Array(out[0..<size])
    }

    /// Writes the MAC of the first `prefix` bytes of a message, whose header length field
    /// is taken as `lengthField` (RFC 8489 §14.5), into `out` (truncated to `out.count`).
    func mac(
        _ algorithm: STUNIntegrityAlgorithm, over p: UnsafeRawBufferPointer, prefix: Int, lengthField: UInt16,
        into out: UnsafeMutableRawBufferPointer
    ) {
        let ctx = context(algorithm)
        var full = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &full) { buffer in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var size = 0
            let ok = EVP_MAC_init(ctx, nil, 0, nil) == 1
                && EVP_MAC_update(ctx, p.baseAddress!.assumingMemoryBound(to: UInt8.self), 2) == 1
                && withUnsafeBytes(of: lengthField.bigEndian) {
                    EVP_MAC_update(ctx, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), 2)
                } == 1
                && EVP_MAC_update(ctx, p.baseAddress!.assumingMemoryBound(to: UInt8.self) + 4, prefix - 4) == 1
                && EVP_MAC_final(ctx, bytes.baseAddress, &size, 32) == 1
            if !ok { fatalError("OpenSSL HMAC failed") }
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<min(out.count, size)]))
        }
    }
}
