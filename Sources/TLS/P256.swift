import COpenSSL

/// Key generation and ECDSA-SHA256 on NIST P-256 (secp256r1, SEC 2 §2.4.2; the
/// ecdsa_secp256r1_sha256 of RFC 8422 §5.1.3), through OpenSSL's EC_KEY and ECDSA
/// functions on one curve object per process.
///
/// Why not EVP: for every call OpenSSL 3.0's EVP layer fetches the algorithm by name,
/// builds the curve again (field and order constants, Montgomery form, generator), and a
/// key set into a certificate goes through its encoder and decoder frameworks. For the
/// short-lived identities and handshakes of a simulation that was two thirds of a DTLS
/// handshake's time (docs/performance.md, "DTLS handshake speed"). The EC functions are
/// deprecated in OpenSSL 3, not removed; the shim suppresses the deprecation. They draw
/// randomness (private keys, ECDSA nonces) through the same `RAND_priv_bytes` path as
/// EVP, so a seeded run gives the same keys and signatures as before.
package enum P256 {
    /// The curve, built once and then only read: `EC_KEY_set_group` copies it into each
    /// key, and OpenSSL's reads of a group are thread-safe.
    nonisolated(unsafe) private static let group: OpaquePointer? = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)

    /// A new `EC_KEY` on the curve without a key yet; the caller owns it.
    static func newKey() -> OpaquePointer? {
        guard let group, let key = EC_KEY_new() else { return nil }
        guard EC_KEY_set_group(key, group) == 1 else {
            EC_KEY_free(key)
            return nil
        }
        return key
    }

    /// A fresh key pair (FIPS 186-4 §B.4.2), its private key drawn from the calling
    /// thread's current random source (seeded in simulations); the caller owns the
    /// `EC_KEY`. Nil when OpenSSL fails.
    package static func generateKey() -> OpaquePointer? {
        guard let key = newKey() else { return nil }
        guard EC_KEY_generate_key(key) == 1 else {
            EC_KEY_free(key)
            return nil
        }
        return key
    }

    /// The public point of `key`, uncompressed (SEC 1 §2.3.3: 0x04, x, y; 65 bytes), as
    /// ECDHE messages carry it (RFC 8422 §5.4). Empty when `key` has none.
    package static func publicPoint(of key: OpaquePointer) -> [UInt8] {
        guard let group = EC_KEY_get0_group(key), let point = EC_KEY_get0_public_key(key) else { return [] }
        var bytes = [UInt8](repeating: 0, count: 65)
        let length = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &bytes, bytes.count, nil)
        return Array(bytes.prefix(length))
    }

    /// The DER-encoded ECDSA signature (ECDSA-Sig-Value, RFC 3279 §2.2.3)
    /// of SHA-256(`data`) with the private key of `key`, an `EC_KEY` of this curve; the
    /// nonce comes from the thread's current random source. Nil when OpenSSL fails.
    package static func sign(_ data: [UInt8], with key: OpaquePointer) -> [UInt8]? {
        let digest = sha256(data)
        var signature = [UInt8](repeating: 0, count: Int(ECDSA_size(key)))
        var length: UInt32 = 0
        guard ECDSA_sign(0, digest, Int32(digest.count), &signature, &length, key) == 1 else { return nil }
        return Array(signature.prefix(Int(length)))
    }

    /// Whether `signature` (DER, no trailing bytes) is the ECDSA signature of
    /// SHA-256(`data`) by the public key of `key`.
    static func verify(_ signature: [UInt8], of data: [UInt8], by key: OpaquePointer) -> Bool {
        let digest = sha256(data)
        return ECDSA_verify(0, digest, Int32(digest.count), signature, Int32(signature.count), key) == 1
    }

    private static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        icelab_sha256(bytes, bytes.count, &digest)
        return digest
    }
}
