import NetTypes
import TLS

/// A TURN server the agent gathers relayed candidates from (W3C `RTCIceServer` with a
/// `turn:` URL): one relayed candidate per server, requested family and component.
public struct ICERelayServer: Hashable, Sendable {
    /// Where the server listens.
    public var endpoint: Endpoint
    /// Long-term credentials for the allocation.
    public var username: String
    public var password: String
    /// The relayed address families to request (REQUESTED-ADDRESS-FAMILY, RFC 8656 §7.1).
    public var families: [AddressFamily]
    /// How the client reaches the server (RFC 7065: `turn:…?transport=udp|tcp`, `turns:`
    /// for TLS); the relayed candidate is UDP whatever this is (RFC 8656 §3.1).
    public var transport: TransportKind
    /// Over TLS: the client context that checks the server's certificate.
    public var tls: TLSContext?
    /// Over TLS: the name the certificate must carry (the URI's host); nil: the context's.
    public var tlsServerName: String?
    /// Whether the TLS session draws its randomness from the agent's seeded generator
    /// (simulations) rather than OpenSSL's own (real connections).
    public var tlsSeeded: Bool

    public init(endpoint: Endpoint, username: String, password: String, families: [AddressFamily] = [.ipv4],
                transport: TransportKind = .udp, tls: TLSContext? = nil, tlsServerName: String? = nil, tlsSeeded: Bool = false) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.families = families
        self.transport = transport
        self.tls = tls
        self.tlsServerName = tlsServerName
        self.tlsSeeded = tlsSeeded
    }

    /// Equal servers: the same TLS context object (contexts are compared by identity).
    public static func == (a: ICERelayServer, b: ICERelayServer) -> Bool {
        a.endpoint == b.endpoint && a.username == b.username && a.password == b.password && a.families == b.families
            && a.transport == b.transport && a.tls === b.tls && a.tlsServerName == b.tlsServerName && a.tlsSeeded == b.tlsSeeded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(endpoint)
        hasher.combine(username)
        hasher.combine(transport)
    }
}
