import COpenSSL

/// An X.509 certificate (RFC 5280): a trust anchor a client verifies servers against,
/// the certificate of a `TLSIdentity`, or a peer's certificate.
///
/// Immutable after init, so shared freely between threads (`@unchecked Sendable`: the
/// wrapped `X509` is only read, and OpenSSL's reads and reference counts are thread-safe).
public final class TLSCertificate: @unchecked Sendable, CustomStringConvertible {
    /// The OpenSSL object; this instance holds one reference. Package-visible for the
    /// DTLS core, which verifies the peer's signatures with its public key.
    package let x509: OpaquePointer

    /// Takes over one reference to `x509`.
    init(owning x509: OpaquePointer) { self.x509 = x509 }

    deinit { X509_free(x509) }

    /// The first certificate of PEM text (`-----BEGIN CERTIFICATE-----`, RFC 7468 §5).
    public convenience init(pem: String) throws(TLSError) {
        guard let first = try Self.certificates(pem: pem).first else { throw .invalidPEM("no certificate") }
        self.init(owning: X509_dup(first.x509))
    }

    /// A certificate from its DER encoding.
    public convenience init(der: [UInt8]) throws(TLSError) {
        OpenSSLErrors.clear()
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let decoded else { throw .invalidPEM("DER: " + OpenSSLErrors.drain(or: "not a certificate")) }
        self.init(owning: decoded)
    }

    /// Every certificate of PEM text, in order (a chain or a bundle of trust anchors).
    /// Throws when there is none or one is malformed.
    public static func certificates(pem: String) throws(TLSError) -> [TLSCertificate] {
        OpenSSLErrors.clear()
        let bio = try MemoryBIO(text: pem)
        var found: [TLSCertificate] = []
        while let x509 = PEM_read_bio_X509(bio.pointer, nil, nil, nil) { found.append(TLSCertificate(owning: x509)) }
        // The loop ends at the end of the text (PEM_R_NO_START_LINE) or at a bad block.
        let code = ERR_peek_last_error()
        let endOfText = ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE
        if found.isEmpty || (code != 0 && !endOfText) {
            throw .invalidPEM(OpenSSLErrors.drain(or: "no certificate"))
        }
        OpenSSLErrors.clear()
        return found
    }

    /// The DER encoding, as on the wire in a Certificate message (RFC 8446 §4.4.2).
    public var der: [UInt8] {
        let length = i2d_X509(x509, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_X509(x509, &cursor)
        }
        return bytes
    }

    /// The PEM encoding (RFC 7468).
    public var pem: String {
        let bio = MemoryBIO()
        _ = PEM_write_bio_X509(bio.pointer, x509)
        return bio.text
    }

    /// SHA-256 of the DER encoding as upper-case hex pairs joined by colons
    /// (`AB:CD:…`), the form of SDP's `a=fingerprint:sha-256` (RFC 8122 §5).
    public var fingerprint: String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = X509_digest(x509, EVP_sha256(), &digest, &length)
        let hex = Array("0123456789ABCDEF")
        return digest.prefix(Int(length)).map { String([hex[Int($0 >> 4)], hex[Int($0 & 15)]]) }.joined(separator: ":")
    }

    /// The subject's common name (the last CN attribute), or nil.
    public var commonName: String? {
        guard let subject = X509_get_subject_name(x509) else { return nil }
        var index: Int32 = -1, last: Int32 = -1
        while true {
            index = X509_NAME_get_index_by_NID(subject, NID_commonName, index)
            if index < 0 { break }
            last = index
        }
        guard last >= 0, let entry = X509_NAME_get_entry(subject, last),
              let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { CRYPTO_free(utf8, nil, 0) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// The common name and fingerprint, for logs.
    public var description: String { "TLSCertificate(CN=\(commonName ?? "-"), sha-256 \(fingerprint))" }
}

/// A memory BIO owned by Swift: PEM text in, PEM text out.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable memory BIO.
    init() { pointer = BIO_new(BIO_s_mem()) }

    /// A BIO holding a copy of `text`.
    convenience init(text: String) throws(TLSError) {
        self.init()
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
        guard written == bytes.count || bytes.isEmpty else { throw .internalError("cannot buffer PEM text") }
    }

    deinit { BIO_free(pointer) }

    /// Everything written to the BIO, as text.
    var text: String { String(decoding: drainBIO(pointer), as: UTF8.self) }
}
