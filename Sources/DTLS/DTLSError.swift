/// Why a DTLS endpoint failed or refused a call. Every failure of the handshake or the
/// record layer is one of these (never a trap); the fatal ones map to the alert the
/// endpoint sends the peer (RFC 5246 §7.2.2).
public enum DTLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration cannot work (e.g. an MTU too small for a handshake fragment).
    case invalidConfiguration(String)
    /// An SDP fingerprint (RFC 8122 §5) that does not parse.
    case invalidFingerprint(String)
    /// A handshake message or alert that does not decode (alert decode_error).
    case decodeError(String)
    /// A message the handshake does not expect here (alert unexpected_message).
    case unexpectedMessage(String)
    /// No common cipher suite, group, SRTP profile, or a required extension is missing
    /// (alert handshake_failure).
    case handshakeFailure(String)
    /// A peer version other than DTLS 1.2 (alert protocol_version).
    case protocolVersion(String)
    /// The peer's certificate is not the one its SDP fingerprint names (RFC 8122 §5,
    /// RFC 8827 §6.5; alert bad_certificate).
    case fingerprintMismatch(expected: String, received: String)
    /// The peer's certificate does not decode or carries no usable key (alert bad_certificate).
    case badCertificate(String)
    /// A ServerKeyExchange or CertificateVerify signature that does not verify (alert decrypt_error).
    case badSignature(String)
    /// The peer's Finished does not match the transcript (RFC 5246 §7.4.9; alert decrypt_error).
    case badFinished
    /// The peer sent a fatal alert (RFC 5246 §7.2).
    case alertReceived(DTLSAlert)
    /// The peer did not answer a flight after this many retransmissions (RFC 6347 §4.2.4).
    case retransmissionLimit(Int)
    /// `send` or `exportKeyingMaterial` before the handshake completed, or after close.
    case notConnected
    /// Application data larger than a record can carry (RFC 6347 §4.1.1: 2^14 bytes).
    case dataTooLarge(Int)
    /// An OpenSSL primitive failed (alert internal_error).
    case cryptoFailure(String)

    /// The alert this error sends the peer, nil when it sends none.
    var alert: DTLSAlert.Description? {
        switch self {
        case .decodeError: .decodeError
        case .unexpectedMessage: .unexpectedMessage
        case .handshakeFailure: .handshakeFailure
        case .protocolVersion: .protocolVersion
        case .fingerprintMismatch, .badCertificate: .badCertificate
        case .badSignature, .badFinished: .decryptError
        case .cryptoFailure: .internalError
        case .invalidConfiguration, .invalidFingerprint, .alertReceived, .retransmissionLimit, .notConnected, .dataTooLarge: nil
        }
    }

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid DTLS configuration: \(why)"
        case .invalidFingerprint(let why): "invalid fingerprint: \(why)"
        case .decodeError(let why): "malformed message: \(why)"
        case .unexpectedMessage(let why): "unexpected message: \(why)"
        case .handshakeFailure(let why): "handshake failure: \(why)"
        case .protocolVersion(let why): "protocol version: \(why)"
        case .fingerprintMismatch(let expected, let received):
            "the peer's certificate has fingerprint \(received), expected \(expected)"
        case .badCertificate(let why): "bad certificate: \(why)"
        case .badSignature(let why): "bad signature: \(why)"
        case .badFinished: "the peer's Finished does not match the handshake"
        case .alertReceived(let alert): "the peer sent \(alert)"
        case .retransmissionLimit(let tries): "no answer after \(tries) retransmissions"
        case .notConnected: "not connected"
        case .dataTooLarge(let size): "\(size) bytes of application data exceed a record's 16384"
        case .cryptoFailure(let why): "crypto failure: \(why)"
        }
    }
}
