import NetTypes

/// A local endpoint the driver has bound a socket on, for one component: the base of a
/// host candidate. Datagrams the agent emits leave from these (or go through a relay).
///
/// A TCP base (RFC 6544) is a port the driver listens on: it gives a passive candidate
/// there and an active one (port 9) on its address, whose connections the driver opens
/// when the agent first writes to a remote passive candidate. A simultaneous-open TCP
/// base is a port the driver has bound without listening: it gives one `so` candidate
/// there, and the driver opens its connections from that very port (RFC 6544 §4.1).
public struct ICEHostBase: Hashable, Sendable {
    public var endpoint: Endpoint
    public var component: Int
    /// `.udp` (a bound socket) or `.tcp` (a listening socket, or a bound one for
    /// simultaneous open).
    public var transport: TransportKind
    /// A TCP base whose port connects to the peer's simultaneous-open candidates (RFC 9293
    /// §3.5 simultaneous open: both ends connect, neither listens) rather than listening.
    public var simultaneousOpen: Bool

    public init(endpoint: Endpoint, component: Int, transport: TransportKind = .udp, simultaneousOpen: Bool = false) {
        self.endpoint = endpoint
        self.component = component
        self.transport = transport
        self.simultaneousOpen = transport == .tcp && simultaneousOpen
    }
}
