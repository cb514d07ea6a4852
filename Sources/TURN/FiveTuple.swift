import NetTypes

/// What identifies a TURN allocation on the server (RFC 8656 §2): the client's transport
/// address as the server sees it, the server address it contacted, and the transport.
public struct FiveTuple: Hashable, Sendable, CustomStringConvertible {
    public var client: Endpoint
    public var server: Endpoint
    public var transport: TransportKind

    public init(client: Endpoint, server: Endpoint, transport: TransportKind) {
        self.client = client
        self.server = server
        self.transport = transport
    }

    /// The 5-tuple of a datagram a client sent to the server.
    init(receivedFromClient datagram: Datagram) {
        self.init(client: datagram.source, server: datagram.destination, transport: datagram.transport)
    }

    /// What the server sends the client on this 5-tuple (over TCP/TLS: stream bytes).
    func toClient(_ payload: [UInt8]) -> Datagram {
        Datagram(source: server, destination: client, transport: transport, payload: payload)
    }

    public var description: String { "\(transport) \(client) -> \(server)" }
}
