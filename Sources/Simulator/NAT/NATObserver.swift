import NetTypes

/// Sees a NAT's decisions, for reports and debugging. Every method has an empty default,
/// so an observer implements only what it needs. Calls happen synchronously while the
/// packet is processed; `nat.simulation.now` is the time of the decision.
public protocol NATObserver: AnyObject {
    /// A new mapping was created by an outbound packet.
    func mappingCreated(_ mapping: NATMapping, by nat: NAT)
    /// A mapping left the table.
    func mappingRemoved(_ mapping: NATMapping, reason: NATMappingRemoval, by nat: NAT)
    /// A packet was translated and forwarded.
    func translated(_ translation: NATTranslation, by nat: NAT)
    /// A packet was discarded (and maybe rejected with ICMP).
    func dropped(_ packet: Packet, reason: NATDropReason, by nat: NAT)
}

extension NATObserver {
    public func mappingCreated(_ mapping: NATMapping, by nat: NAT) {}
    public func mappingRemoved(_ mapping: NATMapping, reason: NATMappingRemoval, by nat: NAT) {}
    public func translated(_ translation: NATTranslation, by nat: NAT) {}
    public func dropped(_ packet: Packet, reason: NATDropReason, by nat: NAT) {}
}

/// One translation: a packet's addresses before and after the NAT rewrote them.
public struct NATTranslation: Sendable, Equatable {
    /// Which way the packet went; hairpinned packets are `outbound` with `hairpin` set.
    public var direction: TrafficDirection
    /// Whether the packet was looped back inside (RFC 4787 §6).
    public var hairpin: Bool
    public var proto: IPProtocolKind
    public var packetID: UInt64
    public var originalSource: Endpoint
    public var originalDestination: Endpoint
    public var source: Endpoint
    public var destination: Endpoint
}
