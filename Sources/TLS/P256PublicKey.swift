import COpenSSL

/// A peer's P-256 public key (RFC 5480 §2: id-ecPublicKey with the namedCurve
/// secp256r1), which checks its ECDSA-SHA256 signatures. Read from a certificate's DER by
/// walking to its subjectPublicKeyInfo (RFC 5280 §4.1) instead of through OpenSSL's X.509
/// decoder, whose key decoding costs OpenSSL 3.0 a search of all its decoders per
/// certificate (see `P256`). Immutable; not shared between threads.
package final class P256PublicKey {
    /// The `EC_KEY` holding the point; this instance owns it.
    private let key: OpaquePointer

    /// id-ecPublicKey (1.2.840.10045.2.1) and secp256r1 (1.2.840.10045.3.1.7), RFC 5480 §2.1.1.
    private static let ecPublicKey: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let secp256r1: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]

    /// The key of an encoded point (SEC 1 §2.3.3: uncompressed, 65 bytes, or compressed,
    /// 33), which must lie on the curve. Throws `.invalidPEM`.
    package init(point: ArraySlice<UInt8>) throws(TLSError) {
        guard (point.count == 65 && point.first == 4) || (point.count == 33 && (point.first == 2 || point.first == 3)),
              let key = P256.newKey() else {
            throw .invalidPEM("DER: not a P-256 point")
        }
        var target: OpaquePointer? = key
        let decoded = point.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return o2i_ECPublicKey(&target, &cursor, buffer.count)
        }
        guard decoded != nil else {
            EC_KEY_free(key)
            ERR_clear_error()
            throw .invalidPEM("DER: the point is not on P-256")
        }
        self.key = key
    }

    /// The key of an X.509 certificate (RFC 5280 §4.1) in DER. Throws `.invalidPEM` when
    /// the certificate does not decode as far as its key, or the key is no P-256 key.
    package convenience init(certificateDER der: [UInt8]) throws(TLSError) {
        var outer = DERReader(der[...])
        var certificate = DERReader(try outer.read(0x30, "Certificate"))
        var tbs = DERReader(try certificate.read(0x30, "tbsCertificate"))
        if tbs.nextTag == 0xA0 { _ = try tbs.read(0xA0, "version") }
        _ = try tbs.read(0x02, "serialNumber")
        for field in ["signature", "issuer", "validity", "subject"] { _ = try tbs.read(0x30, field) }
        var info = DERReader(try tbs.read(0x30, "subjectPublicKeyInfo"))
        var algorithm = DERReader(try info.read(0x30, "algorithm"))
        guard try algorithm.read(0x06, "algorithm").elementsEqual(Self.ecPublicKey),
              try algorithm.read(0x06, "namedCurve").elementsEqual(Self.secp256r1) else {
            throw .invalidPEM("DER: not an ECDSA P-256 key")
        }
        let bits = try info.read(0x03, "subjectPublicKey")
        guard bits.first == 0 else { throw .invalidPEM("DER: a subjectPublicKey with unused bits") }
        try self.init(point: bits.dropFirst())
    }

    deinit { EC_KEY_free(key) }

    /// The ECDH shared secret of this point and `privateKey`, an `EC_KEY` of `P256` with
    /// its private key: the x-coordinate, 32 bytes (SEC 1 §3.3.1; RFC 8422 §5.10). Nil
    /// when OpenSSL fails.
    package func sharedSecret(with privateKey: OpaquePointer) -> [UInt8]? {
        defer { ERR_clear_error() }
        guard let point = EC_KEY_get0_public_key(key) else { return nil }
        var secret = [UInt8](repeating: 0, count: 32)
        guard ECDH_compute_key(&secret, secret.count, point, privateKey, nil) == Int32(secret.count) else { return nil }
        return secret
    }

    /// Whether `signature` (DER) is this key's ECDSA signature of SHA-256(`data`).
    package func verify(_ signature: [UInt8], of data: [UInt8]) -> Bool {
        defer { ERR_clear_error() }
        return P256.verify(signature, of: data, by: key)
    }
}
