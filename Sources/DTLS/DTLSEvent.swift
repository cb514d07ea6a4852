import TLS

/// What a `DTLSEndpoint` tells its application (`CoreOutput.event`).
public enum DTLSEvent: Sendable, Equatable {
    /// The handshake completed and the peer proved its certificate matches the expected
    /// fingerprint.
    case connected(DTLSConnection)
    /// Application data from the peer (one record's plaintext).
    case data([UInt8])
    /// A warning alert other than close_notify (RFC 5246 §7.2): informational.
    case alert(DTLSAlert)
    /// The peer sent close_notify (answered with ours): nothing more will arrive.
    case closed
    /// The endpoint failed (a fatal alert sent or received, or no answer); it is inert.
    case failed(DTLSError)
}

/// The outcome of a completed handshake: what DTLS-SRTP needs (RFC 5764 §4.2) and who
/// the peer is.
public struct DTLSConnection: Sendable, Equatable {
    public var role: DTLSRole
    /// The cipher suite (always TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0xC02B).
    public var cipherSuite: UInt16
    /// The ECDHE group used.
    public var group: DTLSGroup
    /// The negotiated SRTP profile; nil when `srtpProfiles` was empty.
    public var srtpProfile: DTLSSRTPProfile?
    /// The peer's certificate fingerprint (equal to the expected one).
    public var peerFingerprint: DTLSFingerprint
    /// The peer's certificate, DER.
    public var peerCertificateDER: [UInt8]
    /// `EXTRACTOR-dtls_srtp` keying material of the profile's length (RFC 5764 §4.2:
    /// client key, server key, client salt, server salt); empty without a profile.
    public var srtpKeyingMaterial: [UInt8]
}

/// Where an endpoint is.
public enum DTLSState: Sendable, Equatable {
    /// Before `start` (a client) or before the first ClientHello (a server).
    case idle
    /// Flights are being exchanged.
    case handshaking
    /// Keys are in place; application data flows.
    case connected
    /// close_notify sent or received.
    case closed
    /// A fatal error; the endpoint ignores every input.
    case failed
}

/// Byte and record counts, for tests and traces.
public struct DTLSCounters: Sendable, Equatable {
    public var datagramsSent = 0
    public var datagramsReceived = 0
    /// Records discarded without an alert (RFC 6347 §4.1.2.7): malformed, unknown epoch,
    /// replayed, or failing authentication.
    public var recordsDiscarded = 0
    /// Flights sent again, on the timer or because the peer repeated its own.
    public var retransmissions = 0
    public var applicationBytesSent = 0
    public var applicationBytesReceived = 0
}
