import NetTypes

/// One entry of a NAT's mapping table, as `NAT.mappings` shows it for inspection.
public struct NATMapping: Sendable, Equatable, CustomStringConvertible {
    /// Creation order within the NAT (1, 2, ...).
    public let id: UInt64
    /// The transport the mapping belongs to: UDP and TCP ports are separate spaces.
    public let proto: IPProtocolKind
    /// The inside host's endpoint.
    public let internalEndpoint: Endpoint
    /// The NAT's endpoint standing in for it outside.
    public let externalEndpoint: Endpoint
    /// The remote part the mapping is bound to: nil for endpoint-independent mapping, the
    /// remote address (port 0) for address-dependent, the remote endpoint otherwise.
    public let remote: Endpoint?
    public let created: Instant
    /// The last packet that refreshed the mapping.
    public internal(set) var lastRefreshed: Instant
    /// When the mapping expires unless refreshed before.
    public internal(set) var expires: Instant
    /// Whether an inbound packet has been let in through the mapping.
    public internal(set) var established: Bool
    /// For a TCP mapping, what the NAT has seen of its connection (RFC 5382 §5): the
    /// phase sets the idle timeout. Nil for UDP.
    public internal(set) var tcp: TCPConnectionTrack?

    public var description: String {
        "\(proto) \(internalEndpoint) -> \(externalEndpoint)" + (remote.map { " for \($0)" } ?? "")
            + (tcp.map { " \($0.phase)" } ?? "") + " expires \(expires)"
    }
}

/// Why a mapping left the table.
public enum NATMappingRemoval: String, Sendable, CaseIterable {
    /// Its lifetime ran out.
    case expired
    /// `NAT.rebind()` dropped every mapping (a NAT reboot).
    case rebind
    /// Its external address was taken off the NAT.
    case addressRemoved = "address-removed"
}

/// Looks up the mapping of an outbound flow: the internal endpoint plus the part of the
/// remote endpoint the mapping behavior (UDP's or TCP's) depends on. The protocol is part
/// of the key: TCP (RFC 5382) mappings live beside UDP ones.
struct NATFlowKey: Hashable {
    var proto: IPProtocolKind
    var internalEndpoint: Endpoint
    var remote: Endpoint?
}

/// Looks up the mapping an inbound packet is addressed to.
struct NATPortKey: Hashable {
    var proto: IPProtocolKind
    var externalEndpoint: Endpoint
}

/// A reply tuple: packets from `remote` to `external` (netfilter's conntrack reply
/// direction), unique per NAT under port overloading.
struct NATReplyKey: Hashable {
    var proto: IPProtocolKind
    var remote: Endpoint
    var external: Endpoint
}
