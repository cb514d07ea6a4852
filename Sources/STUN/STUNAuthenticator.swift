import COpenSSL

/// Computes STUN message-integrity MACs for one key.
///
/// Keeps the HMAC key schedule per algorithm (made on first use), so that each message
/// costs its own hash blocks only: the fast path for cores that sign or check many
/// messages. A reference type because it caches that state for every copy of a core;
/// not `Sendable`: each core keeps its own.
public final class STUNAuthenticator {
    public let key: STUNKey
    /// The key schedules, SHA-1 at 0 and SHA-256 at 1; `scheduled` says which are made.
    private let schedules = UnsafeMutablePointer<icelab_hmac_key>.allocate(capacity: 2)
    private var scheduled = (false, false)

    public init(key: STUNKey) { self.key = key }

    deinit {
        OPENSSL_cleanse(schedules, 2 * MemoryLayout<icelab_hmac_key>.stride)
        schedules.deallocate()
    }

    private func keySchedule(_ algorithm: STUNIntegrityAlgorithm) -> UnsafeMutablePointer<icelab_hmac_key> {
        let sha256 = algorithm == .sha256
        let schedule = schedules + (sha256 ? 1 : 0)
        if sha256 ? scheduled.1 : scheduled.0 { return schedule }
        key.bytes.withUnsafeBufferPointer { icelab_hmac_key_init(schedule, sha256 ? 1 : 0, $0.baseAddress, $0.count) }
        if sha256 { scheduled.1 = true } else { scheduled.0 = true }
        return schedule
    }

    /// The HMAC of arbitrary `bytes` under this key (full length: 20 bytes for SHA-1, 32
    /// for SHA-256). For tokens a server signs to stay stateless, such as TURN nonces.
    public func mac(of bytes: [UInt8], algorithm: STUNIntegrityAlgorithm = .sha256) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let size = bytes.withUnsafeBytes { input in out.withUnsafeMutableBytes { mac(of: input, algorithm: algorithm, into: $0) } }
        out.removeLast(32 - size)
        return out
    }

    /// Writes the HMAC of `bytes` into `out`, which must hold 32 bytes; returns its length
    /// (20 for SHA-1, 32 for SHA-256). The allocation-free form of `mac(of:algorithm:)`.
    public func mac(of bytes: UnsafeRawBufferPointer, algorithm: STUNIntegrityAlgorithm, into out: UnsafeMutableRawBufferPointer) -> Int {
        precondition(out.count >= 32, "an HMAC needs 32 bytes of room")
        let schedule = keySchedule(algorithm)
        var hmac = icelab_hmac()
        icelab_hmac_begin(&hmac, schedule)
        icelab_hmac_update(&hmac, bytes.baseAddress, bytes.count)
        return icelab_hmac_final(&hmac, schedule, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// Writes the MAC of the first `prefix` bytes of a message, whose header length field
    /// is taken as `lengthField` (RFC 8489 §14.5), into `out` (truncated to `out.count`).
    func mac(
        _ algorithm: STUNIntegrityAlgorithm, over p: UnsafeRawBufferPointer, prefix: Int, lengthField: UInt16,
        into out: UnsafeMutableRawBufferPointer
    ) {
        let schedule = keySchedule(algorithm)
        var hmac = icelab_hmac()
        icelab_hmac_begin(&hmac, schedule)
        icelab_hmac_update(&hmac, p.baseAddress, 2)
        withUnsafeBytes(of: lengthField.bigEndian) { icelab_hmac_update(&hmac, $0.baseAddress, 2) }
        icelab_hmac_update(&hmac, p.baseAddress! + 4, prefix - 4)
        var full = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &full) { buffer in
            let size = icelab_hmac_final(&hmac, schedule, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<min(out.count, size)]))
        }
    }
}
