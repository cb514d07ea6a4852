import COpenSSL
import NetTypes

/// A certificate and its private key: what a server presents in its Certificate and
/// CertificateVerify messages (RFC 8446 §4.4.2-4.4.3), and later what a DTLS endpoint's
/// SDP fingerprint names (RFC 8122).
///
/// Immutable after init; shared between contexts and threads (`@unchecked Sendable`:
/// OpenSSL only reads the key and certificate, and their reference counts are atomic).
public final class TLSIdentity: @unchecked Sendable, CustomStringConvertible {
    /// The leaf certificate.
    public let certificate: TLSCertificate
    /// Certificates sent after the leaf (intermediates), in order; empty for self-signed.
    public let chain: [TLSCertificate]
    /// The private key (`EVP_PKEY`); this instance holds one reference. Package-visible
    /// for the DTLS core, which signs its handshake with it (RFC 5246 §7.4.3, §7.4.8).
    package let key: OpaquePointer

    private init(certificate: TLSCertificate, chain: [TLSCertificate], owningKey key: OpaquePointer) throws(TLSError) {
        self.certificate = certificate
        self.chain = chain
        self.key = key
        OpenSSLErrors.clear()
        guard X509_check_private_key(certificate.x509, key) == 1 else {
            OpenSSLErrors.clear()
            throw .keyMismatch
        }
    }

    deinit { EVP_PKEY_free(key) }

    /// An identity from PEM text, as `--cert FILE --key FILE` give it: the certificate
    /// text may hold the leaf followed by its intermediates; the key is PKCS#8 or a
    /// traditional EC/RSA key, unencrypted (an encrypted key is refused, never prompted
    /// for). Throws `.invalidPEM` for text that does not decode and `.keyMismatch` when
    /// the key is not the certificate's.
    public convenience init(certificatePEM: String, privateKeyPEM: String) throws(TLSError) {
        let certificates = try TLSCertificate.certificates(pem: certificatePEM)
        OpenSSLErrors.clear()
        let bio = try MemoryBIO(text: privateKeyPEM)
        // A password callback that refuses: an encrypted key fails instead of prompting.
        let noPassword: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in -1 }
        guard let key = PEM_read_bio_PrivateKey(bio.pointer, nil, noPassword, nil) else {
            throw .invalidPEM("private key: " + OpenSSLErrors.drain(or: "no private key"))
        }
        try self.init(certificate: certificates[0], chain: Array(certificates.dropFirst()), owningKey: key)
    }

    /// An identity from a certificate file and a key file (PEM), for the command line.
    /// Reading files is the caller's business in a core; this is for drivers and tools.
    public convenience init(certificateFile: String, privateKeyFile: String) throws(TLSError) {
        try self.init(certificatePEM: try Self.readText(certificateFile), privateKeyPEM: try Self.readText(privateKeyFile))
    }

    /// A self-signed identity made from `rng` alone (simulated runs; live endpoints use
    /// the `randomness: .system` form): an ECDSA P-256 key (FIPS 186-4),
    /// a 128-bit serial (RFC 5280 §4.1.2.2: positive, at most 20 octets), subject and
    /// issuer `CN=commonName`, subjectAltName entries (RFC 5280 §4.2.1.6: an IPv4 or IPv6
    /// literal becomes an iPAddress, anything else a dNSName), validity from `notBefore`
    /// (Unix seconds; in a simulation, the scenario's epoch plus simulated time) for
    /// `validity`, signed with ECDSA-SHA256. Deterministic: the same generator state gives
    /// the same key and the same DER, so a simulated run's certificates and fingerprints
    /// repeat. `rng` advances by a fixed three draws, however many bytes OpenSSL takes.
    public static func generate(commonName: String, subjectAltNames: [String] = [], notBefore: Int64,
                                validity: Duration, rng: inout Xoshiro256) throws(TLSError) -> TLSIdentity {
        var serial = [UInt8](repeating: 0, count: 16)
        let serialHigh = rng.next(), serialLow = rng.next()
        for i in 0..<8 { serial[i] = UInt8(truncatingIfNeeded: serialHigh >> (56 - 8 * UInt64(i))) }
        for i in 0..<8 { serial[8 + i] = UInt8(truncatingIfNeeded: serialLow >> (56 - 8 * UInt64(i))) }
        let source = SeededRandomSource(Xoshiro256(seed: rng.next()))
        return try generate(commonName: commonName, subjectAltNames: subjectAltNames, notBefore: notBefore, validity: validity,
                            serial: serial, source: source)
    }

    /// A self-signed identity as above from `randomness`: with `.system` its key and
    /// serial come from OpenSSL's own CSPRNG, as a `.system` session's randomness does —
    /// what a live endpoint must use, since a seeded generator's key is only as secret as
    /// its seed; `.seeded` is the `rng` form.
    public static func generate(commonName: String, subjectAltNames: [String] = [], notBefore: Int64,
                                validity: Duration, randomness: TLSRandomness) throws(TLSError) -> TLSIdentity {
        if case .seeded(var rng) = randomness {
            return try generate(commonName: commonName, subjectAltNames: subjectAltNames, notBefore: notBefore, validity: validity, rng: &rng)
        }
        var serial = [UInt8](repeating: 0, count: 16)
        guard RAND_priv_bytes(&serial, Int32(serial.count)) == 1 else {
            throw .generationFailed(OpenSSLErrors.drain(or: "no random bytes for the serial"))
        }
        return try generate(commonName: commonName, subjectAltNames: subjectAltNames, notBefore: notBefore, validity: validity,
                            serial: serial, source: nil)
    }

    /// Builds the identity with `serial` (16 bytes), drawing the key from `source`, or
    /// from OpenSSL's DRBG when nil.
    private static func generate(commonName: String, subjectAltNames: [String], notBefore: Int64, validity: Duration,
                                 serial drawn: [UInt8], source: SeededRandomSource?) throws(TLSError) -> TLSIdentity {
        var alternativeNames: [String] = []
        for name in subjectAltNames {
            guard !name.isEmpty, !name.contains(where: { $0 == "," || $0 == "\n" || $0 == "\0" }) else {
                throw .generationFailed("invalid subject alternative name \"\(name)\"")
            }
            alternativeNames.append(((try? IPAddress(parsing: name)) != nil ? "IP:" : "DNS:") + name)
        }
        let build = { () throws(TLSError) -> TLSIdentity in
            OpenSSLErrors.clear()
            let key = try generateP256Key()
            guard let x509 = X509_new() else { EVP_PKEY_free(key); throw .generationFailed("X509_new") }
            let certificate = TLSCertificate(owning: x509)
            var serial = drawn
            serial[0] = serial[0] & 0x7F | 0x40  // positive, and exactly 16 octets
            let number = BN_bin2bn(serial, Int32(serial.count), nil)
            defer { BN_free(number) }
            let asn1Serial = BN_to_ASN1_INTEGER(number, nil)
            defer { ASN1_INTEGER_free(asn1Serial) }
            let name = X509_NAME_new()
            defer { X509_NAME_free(name) }
            var ok = X509_set_version(x509, Int(X509_VERSION_3)) == 1
                && X509_set_serialNumber(x509, asn1Serial) == 1
                && ASN1_TIME_set(X509_getm_notBefore(x509), time_t(notBefore)) != nil
                && ASN1_TIME_set(X509_getm_notAfter(x509), time_t(notBefore + validity.nanoseconds / 1_000_000_000)) != nil
                && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1
                && X509_set_subject_name(x509, name) == 1 && X509_set_issuer_name(x509, name) == 1
                && X509_set_pubkey(x509, key) == 1
            var extensions = [(NID_basic_constraints, "critical,CA:FALSE"),
                              (NID_key_usage, "critical,digitalSignature"),
                              (NID_ext_key_usage, "serverAuth,clientAuth")]
            if !alternativeNames.isEmpty { extensions.append((NID_subject_alt_name, alternativeNames.joined(separator: ","))) }
            var v3 = X509V3_CTX()
            X509V3_set_ctx(&v3, x509, x509, nil, nil, 0)
            for (nid, value) in extensions where ok {
                guard let ext = X509V3_EXT_conf_nid(nil, &v3, nid, value) else { ok = false; break }
                ok = X509_add_ext(x509, ext, -1) == 1
                X509_EXTENSION_free(ext)
            }
            guard ok, X509_sign(x509, key, EVP_sha256()) > 0 else {
                EVP_PKEY_free(key)
                throw .generationFailed(OpenSSLErrors.drain(or: "cannot build the certificate"))
            }
            return try TLSIdentity(certificate: certificate, chain: [], owningKey: key)
        }
        guard let source else { return try build() }
        return try source.withSource(build)
    }

    /// A new P-256 key, drawn from the thread's current random source: an `EC_KEY` made
    /// by `P256` in an `EVP_PKEY`, so that setting it into the certificate takes OpenSSL's
    /// direct encoding rather than its encoder and decoder frameworks (see `P256`).
    private static func generateP256Key() throws(TLSError) -> OpaquePointer {
        guard let ecKey = P256.generateKey() else {
            throw .generationFailed(OpenSSLErrors.drain(or: "P-256 key generation failed"))
        }
        guard let key = EVP_PKEY_new() else {
            EC_KEY_free(ecKey)
            throw .generationFailed("EVP_PKEY_new")
        }
        guard EVP_PKEY_assign(key, EVP_PKEY_EC, UnsafeMutableRawPointer(ecKey)) == 1 else {
            EC_KEY_free(ecKey)
            EVP_PKEY_free(key)
            throw .generationFailed(OpenSSLErrors.drain(or: "EVP_PKEY_assign"))
        }
        return key
    }

    /// The leaf certificate's DER encoding.
    public var certificateDER: [UInt8] { certificate.der }
    /// The leaf certificate in PEM, followed by the chain's certificates.
    public var certificatePEM: String { ([certificate] + chain).map(\.pem).joined() }
    /// The private key in unencrypted PKCS#8 PEM (RFC 5958, RFC 7468 §10). Secret.
    public var privateKeyPEM: String {
        let bio = MemoryBIO()
        _ = PEM_write_bio_PrivateKey(bio.pointer, key, nil, nil, 0, nil, nil)
        return bio.text
    }
    /// The leaf certificate's SHA-256 fingerprint, `AB:CD:…` (RFC 8122 §5).
    public var fingerprint: String { certificate.fingerprint }
    /// The leaf certificate's subject common name.
    public var commonName: String? { certificate.commonName }

    public var description: String { "TLSIdentity(\(certificate))" }

    private static func readText(_ path: String) throws(TLSError) -> String {
        OpenSSLErrors.clear()
        guard let file = BIO_new_file(path, "r") else {
            throw .unreadableFile(path: path, reason: OpenSSLErrors.drain(or: "cannot open"))
        }
        defer { BIO_free(file) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let read = chunk.withUnsafeMutableBytes { BIO_read(file, $0.baseAddress, Int32($0.count)) }
            if read <= 0 { break }
            bytes += chunk.prefix(Int(read))
            guard bytes.count <= 1 << 20 else { throw .unreadableFile(path: path, reason: "larger than 1 MiB") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
