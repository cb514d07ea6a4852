import COpenSSL

/// Computes STUN message-integrity MACs for one key.
///
/// Keeps the HMAC key schedule per algorithm (made on first use), so that each message
/// costs its own hash blocks only: the fast path for cores that sign or check many
/// messages. A reference type because it caches that state for every copy of a core;
/// not `Sendable`: each core keeps its own.
public final class STUNAuthenticator {
    public let key: STUNKey
    private var sha1: icelab_hmac_key?
    private var sha256: icelab_hmac_key?

    public init(key: STUNKey) { self.key = key }

    deinit {
        if sha1 != nil { withUnsafeMutableBytes(of: &sha1) { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        if sha256 != nil { withUnsafeMutableBytes(of: &sha256) { OPENSSL_cleanse($0.baseAddress, $0.count) } }
    }

    private func keySchedule(_ algorithm: STUNIntegrityAlgorithm) -> icelab_hmac_key {
        if algorithm == .sha1, let sha1 { return sha1 }
        if algorithm == .sha256, let sha256 { return sha256 }
        var schedule = icelab_hmac_key()
        key.bytes.withUnsafeBufferPointer {
            icelab_hmac_key_init(&schedule, algorithm == .sha256 ? 1 : 0, $0.baseAddress, $0.count)
        }
        if algorithm == .sha1 { sha1 = schedule } else { sha256 = schedule }
        return schedule
    }

    /// The HMAC of arbitrary `bytes` under this key (full length: 20 bytes for SHA-1, 32
    /// for SHA-256). For tokens a server signs to stay stateless, such as TURN nonces.
    public func mac(of bytes: [UInt8], algorithm: STUNIntegrityAlgorithm = .sha256) -> [UInt8] {
        var schedule = keySchedule(algorithm)
        var hmac = icelab_hmac()
        icelab_hmac_begin(&hmac, &schedule)
        icelab_hmac_update(&hmac, bytes, bytes.count)
        var out = [UInt8](repeating: 0, count: 32)
        let size = icelab_hmac_final(&hmac, &schedule, &out)
        out.removeLast(32 - size)
        return out
    }

    /// Writes the MAC of the first `prefix` bytes of a message, whose header length field
    /// is taken as `lengthField` (RFC 8489 §14.5), into `out` (truncated to `out.count`).
    func mac(
        _ algorithm: STUNIntegrityAlgorithm, over p: UnsafeRawBufferPointer, prefix: Int, lengthField: UInt16,
        into out: UnsafeMutableRawBufferPointer
    ) {
        var schedule = keySchedule(algorithm)
        var hmac = icelab_hmac()
        icelab_hmac_begin(&hmac, &schedule)
        icelab_hmac_update(&hmac, p.baseAddress, 2)
        withUnsafeBytes(of: lengthField.bigEndian) { icelab_hmac_update(&hmac, $0.baseAddress, 2) }
        icelab_hmac_update(&hmac, p.baseAddress! + 4, prefix - 4)
        var full = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &full) { buffer in
            let size = icelab_hmac_final(&hmac, &schedule, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<min(out.count, size)]))
        }
    }
}
