import NetTypes

/// What a TURN server core tells its driver and operator.
public enum TURNServerEvent: Hashable, Sendable {
    /// The core needs a socket on this relayed transport address before it answers the
    /// Allocate that asked for it (RFC 8656 §7.2: the relayed transport address exists when
    /// the success response goes out). The driver binds it without sharing the port and
    /// answers with `relayBound(_:now:)`, or with `relayUnavailable(_:because:now:)` when
    /// the bind fails: the core then tries another port of `relayPorts` or answers 508.
    /// Every such request must be answered; once bound, the driver receives datagrams on
    /// the endpoint and sends the core's datagrams whose source it is.
    case bindRelay(Endpoint)
    /// A relayed transport address is free again: the driver closes its socket.
    case relayClosed(Endpoint)
    /// An allocation was created.
    case allocationCreated(TURNAllocationSummary)
    /// An allocation ended.
    case allocationDeleted(TURNAllocationSummary, reason: TURNDeallocationReason)
}

/// Why a driver could not bind a relayed transport address.
public enum TURNRelayBindFailure: Hashable, Sendable {
    /// Another socket holds the port (EADDRINUSE): another port may do.
    case addressInUse
    /// Anything else (out of descriptors, no such local address): no port will do now.
    case unavailable
}

/// One allocation as the operator sees it.
public struct TURNAllocationSummary: Hashable, Sendable, CustomStringConvertible {
    public var fiveTuple: FiveTuple
    public var username: String
    public var relayed: [Endpoint]
    /// The lifetime last granted.
    public var lifetime: Duration

    public var description: String {
        "user=\(username) client=\(fiveTuple.client) relayed=\(relayed.map(\.description).joined(separator: ",")) lifetime=\(lifetime)"
    }
}

/// Why an allocation ended.
public enum TURNDeallocationReason: String, Hashable, Sendable {
    /// The client sent a Refresh with LIFETIME 0.
    case released
    /// The lifetime ran out without refresh.
    case expired
    /// The client's TCP/TLS connection closed.
    case connectionClosed = "connection-closed"
}
