import NetTypes

/// What a TURN server core tells its driver and operator.
public enum TURNServerEvent: Hashable, Sendable {
    /// A relayed transport address is in use: the driver must receive datagrams on it and
    /// send the core's datagrams whose source it is. Comes before any datagram from it.
    case relayOpened(Endpoint)
    /// A relayed transport address is free again: the driver closes its socket.
    case relayClosed(Endpoint)
    /// An allocation was created.
    case allocationCreated(TURNAllocationSummary)
    /// An allocation ended.
    case allocationDeleted(TURNAllocationSummary, reason: TURNDeallocationReason)
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
    /// The driver could not open the relayed transport address.
    case relayUnavailable = "relay-unavailable"
}
