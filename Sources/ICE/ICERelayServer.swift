import NetTypes

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

    public init(endpoint: Endpoint, username: String, password: String, families: [AddressFamily] = [.ipv4],
                transport: TransportKind = .udp) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.families = families
        self.transport = transport
    }
}
