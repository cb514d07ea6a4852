import NetTypes

/// A local endpoint the driver has bound a socket on, for one component: the base of a
/// host candidate. Datagrams the agent emits leave from these (or go through a relay).
///
/// A TCP base (RFC 6544) is a port the driver listens on: it gives a passive candidate
/// there and an active one (port 9) on its address, whose connections the driver opens
/// when the agent first writes to a remote passive candidate.
public struct ICEHostBase: Hashable, Sendable {
    public var endpoint: Endpoint
    public var component: Int
    /// `.udp` (a bound socket) or `.tcp` (a listening socket).
    public var transport: TransportKind

    public init(endpoint: Endpoint, component: Int, transport: TransportKind = .udp) {
        self.endpoint = endpoint
        self.component = component
        self.transport = transport
    }
}
