import COpenSSL

/// HMAC-SHA1 under one session authentication key (RFC 3711 §4.2.1), keyed once: the
/// padded-key hash states are kept, so a tag costs the packet's SHA-1 blocks plus one.
/// Not `Sendable`: each sender and receiver owns its own.
final class HMACSHA1 {
    /// Bytes of a full HMAC-SHA1 output, before truncation to the profile's tag.
    static let outputLength = 20

    private let key = UnsafeMutablePointer<icelab_hmac_key>.allocate(capacity: 1)

    init(key bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { icelab_hmac_key_init(key, 0, $0.baseAddress, $0.count) }
    }

    deinit {
        OPENSSL_cleanse(key, MemoryLayout<icelab_hmac_key>.stride)
        key.deallocate()
    }

    /// Writes HMAC(key, `data` || `rollover`) to `out` (20 bytes); `rollover` is the
    /// big-endian ROC SRTP appends to the authenticated portion (RFC 3711 §4.2), nil for
    /// SRTCP, whose index word is already part of `data`.
    func mac(_ data: UnsafeBufferPointer<UInt8>, rollover: UInt32?, into out: UnsafeMutablePointer<UInt8>) {
        var state = icelab_hmac()
        icelab_hmac_begin(&state, key)
        icelab_hmac_update(&state, data.baseAddress, data.count)
        if let rollover {
            var word = rollover.bigEndian
            withUnsafeBytes(of: &word) { icelab_hmac_update(&state, $0.baseAddress, 4) }
        }
        _ = icelab_hmac_final(&state, key, out)
    }
}
