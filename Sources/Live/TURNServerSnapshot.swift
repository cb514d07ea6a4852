import NetTypes
import TURN

/// One consistent reading of a live TURN server, taken on its event loop: the core's
/// counters, what its sockets saw, and the gauges that are read rather than counted.
public struct TURNServerSnapshot: Sendable {
    public var counters: TURNServerCounters
    public var sockets: LiveCounters
    /// UDP sockets open (listening and relayed) and TCP connections open per local endpoint.
    public var openSockets: Int
    public var openConnections: [Endpoint: Int]
    /// Permissions and channel bindings live now, over all allocations.
    public var permissions: Int
    public var channels: Int
    /// Whether a graceful shutdown is under way (new allocations refused).
    public var draining: Bool

    public init(counters: TURNServerCounters, sockets: LiveCounters, openSockets: Int, openConnections: [Endpoint: Int],
                permissions: Int, channels: Int, draining: Bool) {
        self.counters = counters
        self.sockets = sockets
        self.openSockets = openSockets
        self.openConnections = openConnections
        self.permissions = permissions
        self.channels = channels
        self.draining = draining
    }

    /// All TCP/TLS connections open now.
    public var openConnectionsTotal: Int { openConnections.values.reduce(0, +) }
}
