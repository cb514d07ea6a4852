/// How a TLS endpoint behaves: its role, what it presents, what it trusts, and the
/// limits of its buffers. One configuration builds one `TLSContext`.
public struct TLSConfiguration: Sendable {
    /// Which side of the handshake (RFC 8446 §2): the client sends the ClientHello.
    public enum Role: Sendable, Hashable { case client, server }

    /// A protocol version floor.
    public enum Version: Sendable, Hashable, Comparable {
        /// TLS 1.2 (RFC 5246), still the floor of RFC 8656's TURN-over-TLS deployments.
        case tls12
        /// TLS 1.3 (RFC 8446).
        case tls13
    }

    /// Client or server.
    public var role: Role
    /// The certificate and key presented. Required for a server; a client's is sent only
    /// if a server asks (this module's servers never do).
    public var identity: TLSIdentity?
    /// The trust anchors a client verifies the server's certificate chain against (RFC
    /// 5280 §6). Any certificate listed counts as an anchor, a leaf as well as a root
    /// (OpenSSL's partial-chain mode): a simulated client simply trusts the server's
    /// generated certificate. The system's store is not consulted.
    public var trusted: [TLSCertificate]
    /// Whether the client verifies the server's certificate (and name). Default true;
    /// false is for `--insecure`-style tools only: the connection is then encrypted but
    /// unauthenticated, open to an active man in the middle. Servers never request client
    /// certificates, whatever this says.
    public var verifyPeer: Bool
    /// The server's name: sent as SNI (RFC 6066 §3) when it is a DNS name, and checked
    /// against the certificate's subjectAltName (RFC 6125; an IP literal against its
    /// iPAddress entries) when `verifyPeer` is on. Nil: no SNI and no name check.
    public var serverName: String?
    /// Application protocols offered (client) or accepted in order of preference
    /// (server), RFC 7301; e.g. RFC 8656's "stun.turn". Empty: no ALPN. A server with a
    /// list refuses a client whose offer shares no name (no_application_protocol).
    public var alpn: [String]
    /// The lowest protocol version accepted (default TLS 1.2).
    public var minimumVersion: Version
    /// The highest protocol version offered or accepted (default TLS 1.3).
    public var maximumVersion: Version
    /// Unix time in seconds at `Instant.zero`, for simulated runs: certificate validity is
    /// checked at `verificationEpoch + now` instead of the system clock, so a simulation
    /// decides whether a certificate has expired. Nil (live): the system clock.
    public var verificationEpoch: Int64?
    /// Plaintext `send` may queue while the handshake runs, in bytes (default 256 KiB);
    /// more fails the session with `.bufferLimit`.
    public var maximumQueuedPlaintext: Int
    /// Output (ciphertext to transmit plus plaintext received) produced but not yet
    /// polled, and ciphertext received but not yet processed, in bytes (default 4 MiB);
    /// more after an input fails the session with `.bufferLimit`. A driver that drains
    /// after every input and feeds TCP-sized reads never comes near it.
    public var maximumUnreadOutput: Int

    /// A configuration with the defaults above.
    public init(role: Role, identity: TLSIdentity? = nil, trusted: [TLSCertificate] = [], verifyPeer: Bool = true,
                serverName: String? = nil, alpn: [String] = [], minimumVersion: Version = .tls12, maximumVersion: Version = .tls13,
                verificationEpoch: Int64? = nil, maximumQueuedPlaintext: Int = 256 * 1024,
                maximumUnreadOutput: Int = 4 * 1024 * 1024) {
        self.role = role
        self.identity = identity
        self.trusted = trusted
        self.verifyPeer = verifyPeer
        self.serverName = serverName
        self.alpn = alpn
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.verificationEpoch = verificationEpoch
        self.maximumQueuedPlaintext = maximumQueuedPlaintext
        self.maximumUnreadOutput = maximumUnreadOutput
    }
}
