import COpenSSL
import TLS

/// An ephemeral ECDHE key pair (RFC 8422 §2.1, §5.4): generated from the thread's
/// current OpenSSL random source (seeded in simulations), its public point as the
/// ServerKeyExchange/ClientKeyExchange carry it, and the shared secret with a peer's point.
final class DTLSKeyShare {
    let group: DTLSGroup
    private let key: OpaquePointer

    /// A fresh key pair of `group`; call inside the endpoint's random source.
    init(group: DTLSGroup) throws(DTLSError) {
        self.group = group
        let name = group == .x25519 ? "X25519" : "EC"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else { throw .cryptoFailure("no \(group) implementation") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              group == .x25519 || EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &key) == 1, let key else {
            ERR_clear_error()
            throw .cryptoFailure("\(group) key generation")
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    /// The public value: an uncompressed point (0x04, x, y) for secp256r1, 32 bytes for
    /// x25519 (RFC 8422 §5.4).
    var publicKey: [UInt8] {
        var pointer: UnsafeMutablePointer<UInt8>?
        let length = EVP_PKEY_get1_encoded_public_key(key, &pointer)
        guard length > 0, let pointer else { return [] }
        defer { CRYPTO_free(pointer, nil, 0) }
        return Array(UnsafeBufferPointer(start: pointer, count: length))
    }

    /// The ECDH shared secret with the peer's public value (the pre-master secret, RFC
    /// 8422 §5.10). Throws `.decodeError` for a value that is no valid point or key
    /// (only uncompressed points are accepted for secp256r1, RFC 8422 §5.1.2).
    func sharedSecret(peerPublicKey: [UInt8]) throws(DTLSError) -> [UInt8] {
        ERR_clear_error()
        defer { ERR_clear_error() }
        let peer: OpaquePointer?
        switch group {
        case .x25519:
            guard peerPublicKey.count == 32 else { throw .decodeError("an x25519 key of \(peerPublicKey.count) bytes") }
            peer = EVP_PKEY_new_raw_public_key_ex(nil, "X25519", nil, peerPublicKey, 32)
        case .secp256r1:
            guard peerPublicKey.count == 65, peerPublicKey[0] == 4 else { throw .decodeError("not an uncompressed P-256 point") }
            let blank = EVP_PKEY_new()
            if let blank, EVP_PKEY_copy_parameters(blank, key) == 1,
               EVP_PKEY_set1_encoded_public_key(blank, peerPublicKey, peerPublicKey.count) == 1 {
                peer = blank
            } else {
                EVP_PKEY_free(blank)
                peer = nil
            }
        }
        guard let peer else { throw .decodeError("the peer's \(group) key is invalid") }
        defer { EVP_PKEY_free(peer) }
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw .cryptoFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(context) }
        var length = 0
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, peer) == 1,
              EVP_PKEY_derive(context, nil, &length) == 1, length > 0 else {
            throw .decodeError("no shared secret with the peer's \(group) key")
        }
        var secret = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_derive(context, &secret, &length) == 1 else { throw .decodeError("no shared secret with the peer's \(group) key") }
        return Array(secret.prefix(length))
    }
}

/// ECDSA with SHA-256 over handshake data (signature scheme ecdsa_secp256r1_sha256,
/// 0x0403, RFC 5246 §7.4.1.4.1, RFC 8422 §5.4): what ServerKeyExchange and
/// CertificateVerify carry.
enum DTLSSignature {
    /// SignatureAndHashAlgorithm {sha256(4), ecdsa(3)}.
    static let ecdsaSHA256: UInt16 = 0x0403

    /// The DER-encoded ECDSA signature of `data` with the identity's key; the nonce comes
    /// from the thread's current random source (seeded in simulations).
    static func sign(_ data: [UInt8], with identity: TLSIdentity) throws(DTLSError) -> [UInt8] {
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard let context = EVP_MD_CTX_new() else { throw .cryptoFailure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, identity.key) == 1,
              EVP_DigestSign(context, nil, &length, data, data.count) == 1 else { throw .cryptoFailure("ECDSA signing") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, data, data.count) == 1 else { throw .cryptoFailure("ECDSA signing") }
        return Array(signature.prefix(length))
    }

    /// Whether `signature` is the certificate key's ECDSA-SHA256 signature of `data`.
    static func verify(_ signature: [UInt8], of data: [UInt8], by certificate: TLSCertificate) -> Bool {
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard let key = X509_get0_pubkey(certificate.x509), EVP_PKEY_get_base_id(key) == EVP_PKEY_EC,
              let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        return EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1
            && EVP_DigestVerify(context, signature, signature.count, data, data.count) == 1
    }
}
