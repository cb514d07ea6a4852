import COpenSSL
import TLS

/// An ephemeral ECDHE key pair (RFC 8422 §2.1, §5.4): generated from the thread's
/// current OpenSSL random source (seeded in simulations), its public point as the
/// ServerKeyExchange/ClientKeyExchange carry it, and the shared secret with a peer's point.
final class DTLSKeyShare {
    let group: DTLSGroup
    /// An `EVP_PKEY` for x25519; an `EC_KEY` for secp256r1, made by `P256` (which spares
    /// OpenSSL 3's per-call fetches and curve construction).
    private let key: OpaquePointer

    /// A fresh key pair of `group`; call inside the endpoint's random source.
    init(group: DTLSGroup) throws(DTLSError) {
        self.group = group
        switch group {
        case .x25519:
            guard let context = EVP_PKEY_CTX_new_from_name(nil, "X25519", nil) else { throw .cryptoFailure("no x25519 implementation") }
            defer { EVP_PKEY_CTX_free(context) }
            var key: OpaquePointer?
            guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &key) == 1, let key else {
                ERR_clear_error()
                throw .cryptoFailure("x25519 key generation")
            }
            self.key = key
        case .secp256r1:
            guard let key = P256.generateKey() else {
                ERR_clear_error()
                throw .cryptoFailure("secp256r1 key generation")
            }
            self.key = key
        }
    }

    deinit {
        switch group {
        case .x25519: EVP_PKEY_free(key)
        case .secp256r1: EC_KEY_free(key)
        }
    }

    /// The public value: an uncompressed point (0x04, x, y) for secp256r1, 32 bytes for
    /// x25519 (RFC 8422 §5.4).
    var publicKey: [UInt8] {
        switch group {
        case .x25519:
            var pointer: UnsafeMutablePointer<UInt8>?
            let length = EVP_PKEY_get1_encoded_public_key(key, &pointer)
            guard length > 0, let pointer else { return [] }
            defer { CRYPTO_free(pointer, nil, 0) }
            return Array(UnsafeBufferPointer(start: pointer, count: length))
        case .secp256r1:
            return P256.publicPoint(of: key)
        }
    }

    /// The ECDH shared secret with the peer's public value (the pre-master secret, RFC
    /// 8422 §5.10). Throws `.decodeError` for a value that is no valid point or key
    /// (only uncompressed points are accepted for secp256r1, RFC 8422 §5.1.2).
    func sharedSecret(peerPublicKey: [UInt8]) throws(DTLSError) -> [UInt8] {
        ERR_clear_error()
        defer { ERR_clear_error() }
        switch group {
        case .x25519:
            guard peerPublicKey.count == 32 else { throw .decodeError("an x25519 key of \(peerPublicKey.count) bytes") }
            guard let peer = EVP_PKEY_new_raw_public_key_ex(nil, "X25519", nil, peerPublicKey, 32) else {
                throw .decodeError("the peer's x25519 key is invalid")
            }
            defer { EVP_PKEY_free(peer) }
            guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw .cryptoFailure("EVP_PKEY_CTX_new_from_pkey") }
            defer { EVP_PKEY_CTX_free(context) }
            var length = 0
            guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, peer) == 1,
                  EVP_PKEY_derive(context, nil, &length) == 1, length > 0 else {
                throw .decodeError("no shared secret with the peer's x25519 key")
            }
            var secret = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_derive(context, &secret, &length) == 1 else { throw .decodeError("no shared secret with the peer's x25519 key") }
            return Array(secret.prefix(length))
        case .secp256r1:
            guard peerPublicKey.count == 65, peerPublicKey[0] == 4 else { throw .decodeError("not an uncompressed P-256 point") }
            guard let peer = try? P256PublicKey(point: peerPublicKey[...]) else { throw .decodeError("the peer's secp256r1 key is invalid") }
            guard let secret = peer.sharedSecret(with: key) else { throw .decodeError("no shared secret with the peer's secp256r1 key") }
            return secret
        }
    }
}

/// ECDSA with SHA-256 over handshake data (signature scheme ecdsa_secp256r1_sha256,
/// 0x0403, RFC 5246 §7.4.1.4.1, RFC 8422 §5.4): what ServerKeyExchange and
/// CertificateVerify carry.
enum DTLSSignature {
    /// SignatureAndHashAlgorithm {sha256(4), ecdsa(3)}.
    static let ecdsaSHA256: UInt16 = 0x0403

    /// The DER-encoded ECDSA signature of `data` with the identity's key (an EC key); the
    /// nonce comes from the thread's current random source (seeded in simulations).
    static func sign(_ data: [UInt8], with identity: TLSIdentity) throws(DTLSError) -> [UInt8] {
        ERR_clear_error()
        defer { ERR_clear_error() }
        // The key's EC_KEY: the identity's own for a generated identity; for one loaded
        // from PEM, a copy OpenSSL makes once and keeps with the key.
        guard let key = EVP_PKEY_get0_EC_KEY(identity.key), let signature = P256.sign(data, with: key) else {
            throw .cryptoFailure("ECDSA signing")
        }
        return signature
    }

    /// Whether `signature` is the ECDSA-SHA256 signature of `data` by the peer's key.
    static func verify(_ signature: [UInt8], of data: [UInt8], by key: P256PublicKey) -> Bool {
        key.verify(signature, of: data)
    }
}
