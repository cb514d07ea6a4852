import NetTypes

/// What the agent asks a relay client to allocate: a relayed address of `family` on
/// `server`, reached from the host base `base`, for `component`. Over TCP or TLS
/// (`server.transport`) the client's `.transmit`s carry stream bytes from `base` to the
/// server (`StreamCore`): the driver connects from `base`'s address.
public struct ICERelayRequest: Hashable, Sendable {
    public var server: ICERelayServer
    public var family: AddressFamily
    /// The local host endpoint whose socket talks to the server.
    public var base: Endpoint
    public var component: Int

    public init(server: ICERelayServer, family: AddressFamily, base: Endpoint, component: Int) {
        self.server = server
        self.family = family
        self.base = base
        self.component = component
    }
}

/// What a relay client reports to the agent.
public enum ICERelayEvent: Hashable, Sendable {
    /// The allocation exists: `relayed` is the relayed transport address (the candidate),
    /// `mapped` the server-reflexive address the server saw, if it said.
    case allocated(relayed: Endpoint, mapped: Endpoint?)
    /// The allocation could not be made or was lost; its candidate (if any) is gone.
    case failed(reason: String)
    /// `payload` arrived on the relayed address from `peer` (Data indication or
    /// ChannelData), in a datagram from the server with IP ECN field `ecn`.
    case received([UInt8], from: Endpoint, ecn: ECNCodepoint)
}

/// The seam between the agent and a TURN client (RFC 8656): one sans-IO client per
/// allocation, embedded in the agent and driven through the agent's own inputs and
/// outputs.
///
/// The agent feeds the client every datagram that arrives on `request.base` from the
/// server's endpoint, calls `handleTimeout` at the client's deadlines, and forwards the
/// client's `.transmit` outputs (which must leave from `request.base` towards the server)
/// as its own. `send(_:to:now:)` relays a payload to a peer; the client installs
/// permissions and channel bindings as it needs (a check towards a peer is what opens
/// the permission for that peer's checks in return).
public protocol ICERelayClient: SansIOCore where Event == ICERelayEvent {
    /// Begins the allocation (called once, at the pacer's turn).
    mutating func start(now: Instant)
    /// Sends `payload` from the relayed address to `peer`, in a datagram to the server
    /// with IP ECN field `ecn` (RFC 8656 §12.6: the server relays it on).
    mutating func send(_ payload: [UInt8], to peer: Endpoint, ecn: ECNCodepoint, now: Instant)
    /// The TCP/TLS connection to the server ended (`StreamCore`); the allocation with it.
    mutating func streamClosed(now: Instant)
}

extension ICERelayClient {
    /// Relays reached over UDP have no connection to lose.
    public mutating func streamClosed(now: Instant) {}
}

/// Builds the relay client for one request; the `Xoshiro256` is a stream of the agent's
/// generator for the client's transaction IDs.
public typealias ICERelayFactory = (ICERelayRequest, Xoshiro256) -> any ICERelayClient
