/// Why a TLS operation failed: building an identity or a context, or a session's
/// connection (delivered as `TLSOutput.failed`).
///
/// Reasons carry OpenSSL's own text (its error queue's reason string, or the X.509
/// verification error string), so a failed handshake in a report reads as OpenSSL would
/// print it.
public enum TLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// PEM text that does not decode to the expected object (certificate or private key).
    case invalidPEM(String)
    /// The private key is not the one whose public half the certificate carries.
    case keyMismatch
    /// A certificate or key file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A configuration OpenSSL cannot build a context from (a server without an
    /// identity, an ALPN name that is empty or longer than 255 bytes, ...).
    case invalidConfiguration(String)
    /// Generating a key or certificate failed (OpenSSL's reason).
    case generationFailed(String)
    /// The peer's certificate did not verify (RFC 5280 path validation, or the name check
    /// of RFC 6125 against `TLSConfiguration.serverName`); the X.509 reason, e.g.
    /// "certificate has expired".
    case certificateVerificationFailed(String)
    /// The bytes from the peer violate TLS (RFC 8446, RFC 5246), the handshake could not
    /// agree on parameters, or the peer sent a fatal alert; OpenSSL's reason, e.g.
    /// "wrong version number", "tlsv1 alert unknown ca".
    case protocolError(String)
    /// A buffer reached its documented limit (`TLSConfiguration.maximumQueuedPlaintext`,
    /// `TLSConfiguration.maximumUnreadOutput`): the driver did not drain, or too much was
    /// queued before the handshake finished.
    case bufferLimit
    /// OpenSSL failed where it should not (an allocation); its reason.
    case internalError(String)

    /// The failure in one line, for logs and reports.
    public var description: String {
        switch self {
        case .invalidPEM(let reason): "invalid PEM: \(reason)"
        case .keyMismatch: "the private key does not match the certificate"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .invalidConfiguration(let reason): "invalid TLS configuration: \(reason)"
        case .generationFailed(let reason): "cannot generate the identity: \(reason)"
        case .certificateVerificationFailed(let reason): "certificate verification failed: \(reason)"
        case .protocolError(let reason): "TLS protocol error: \(reason)"
        case .bufferLimit: "TLS buffer limit reached"
        case .internalError(let reason): "OpenSSL internal error: \(reason)"
        }
    }
}
