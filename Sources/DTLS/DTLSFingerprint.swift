import COpenSSL
import TLS

/// A certificate fingerprint as SDP's `a=fingerprint` carries it (RFC 8122 §5): the hash
/// function's name and the digest of the certificate's DER. WebRTC authenticates the
/// DTLS peer by it, not by a certificate authority (RFC 8827 §6.5). Only sha-256 is
/// supported, the function every browser uses.
public struct DTLSFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The SHA-256 digest, 32 bytes.
    public let digest: [UInt8]

    /// The fingerprint of a certificate's DER encoding.
    public init(certificateDER der: [UInt8]) { digest = DTLSPRF.sha256(der) }

    /// The fingerprint of an identity's certificate.
    public init(identity: TLSIdentity) { self.init(certificateDER: identity.certificateDER) }

    /// A SHA-256 digest already decoded (as the SDP module's `Fingerprint` holds it), so a
    /// parsed description need not go back through hex text. Throws `.invalidFingerprint`
    /// unless it has 32 bytes.
    public init(digest: [UInt8]) throws(DTLSError) {
        guard digest.count == 32 else { throw .invalidFingerprint("a sha-256 fingerprint has 32 bytes, got \(digest.count)") }
        self.digest = digest
    }

    /// Parses the attribute's value, `sha-256 AB:CD:…` (the hash name is case-insensitive,
    /// RFC 8122 §5; the hex digits either case). Throws `.invalidFingerprint`.
    public init(sdp text: String) throws(DTLSError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw .invalidFingerprint("expected \"sha-256 AB:CD:…\", got \"\(text.prefix(120))\"") }
        guard parts[0].lowercased() == "sha-256" else { throw .invalidFingerprint("unsupported hash function \"\(parts[0].prefix(20))\"") }
        let pairs = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard pairs.count == 32 else { throw .invalidFingerprint("a sha-256 fingerprint has 32 bytes, got \(pairs.count)") }
        var digest: [UInt8] = []
        for pair in pairs {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { throw .invalidFingerprint("\"\(pair.prefix(8))\" is not a hex byte") }
            digest.append(byte)
        }
        try self.init(digest: digest)
    }

    /// The hex pairs, `AB:CD:…`, as `TLSIdentity.fingerprint` writes them.
    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        return digest.map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined(separator: ":")
    }

    /// The attribute's value, `sha-256 AB:CD:…`.
    public var sdpValue: String { "sha-256 " + hex }

    public var description: String { sdpValue }
}
