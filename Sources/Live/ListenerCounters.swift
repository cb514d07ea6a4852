import NetTypes

/// What went through one listening endpoint of a live driver (a UDP socket clients send to,
/// or a TCP listener whose connections carry TCP or TLS): the per-listener figures of the
/// servers' metrics. Relayed sockets are not listeners and are not counted here.
public struct ListenerCounters: Hashable, Sendable {
    /// UDP datagrams, or stream reads and writes.
    public var packetsReceived = 0
    public var packetsSent = 0
    /// Payload bytes (UDP) or stream bytes (TCP/TLS, TLS records included).
    public var bytesReceived = 0
    public var bytesSent = 0
    /// Connections accepted (TCP/TLS listeners).
    public var connectionsAccepted = 0

    public init() {}
}

/// A listening endpoint and what it carries (a UDP socket and a TCP listener may share one).
public struct ListenerKey: Hashable, Sendable, Comparable {
    public var endpoint: Endpoint
    /// `.udp`, `.tcp` or `.tls`.
    public var transport: TransportKind

    public init(_ endpoint: Endpoint, _ transport: TransportKind) {
        self.endpoint = endpoint
        self.transport = transport
    }

    public static func < (a: ListenerKey, b: ListenerKey) -> Bool {
        (a.endpoint, a.transport.rawValue) < (b.endpoint, b.transport.rawValue)
    }
}
