/// Which way a packet crosses a middlebox (NAT or firewall): from its inside networks
/// towards the outside interface, or the other way.
public enum TrafficDirection: String, Sendable, CaseIterable, CustomStringConvertible {
    case inbound
    case outbound

    public var description: String { rawValue }
}
