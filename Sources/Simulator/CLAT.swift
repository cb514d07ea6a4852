import NetTypes

/// The customer-side translator of 464XLAT (RFC 6877 §6.1) on a host of an IPv6-only
/// network: IPv4-only applications bind the host's IPv4 address from 192.0.0.0/29
/// (RFC 7335) and their packets leave as IPv6 from a dedicated IPv6 address to the IPv4
/// destination embedded in the PLAT's prefix (stateless, RFC 7915 through RFC 6052
/// embedding); the PLAT, a NAT64, translates them on to IPv4. Packets do not store IP
/// headers, so translation is the change of addresses (and a TCP segment's checksum): the
/// header is written for the new family (traffic class ↔ TOS, hop limit ↔ TTL).
/// Only UDP and TCP are translated; ICMP is not (RFC 7915 §4.2/§5.2).
public struct CLAT: Sendable, Equatable {
    /// The IPv4 address applications use (192.0.0.2: 192.0.0.1 is the CLAT's own, RFC 7335).
    public let ipv4: IPv4Address
    /// The host's dedicated IPv6 address for translated packets (RFC 6877 §6.3).
    public let ipv6: IPv6Address
    /// The PLAT's prefix IPv4 destinations are embedded in.
    public let prefix: NAT64Prefix

    /// 192.0.0.2/29, the address an IPv4 application sees.
    public static let ipv4Address = InterfaceAddress(.v4(IPv4Address(192, 0, 0, 2)), prefixLength: 29)

    public init(ipv6: IPv6Address, prefix: NAT64Prefix) {
        guard case .v4(let address) = CLAT.ipv4Address.address else { preconditionFailure("the CLAT address is IPv4") }
        self.ipv4 = address
        self.ipv6 = ipv6
        self.prefix = prefix
    }

    /// Rewrites an outbound packet from the CLAT's IPv4 address to an IPv4 destination as
    /// IPv6 (RFC 7915 §4.1); false (untouched) for any other packet.
    func translateOutbound(_ packet: inout Packet) -> Bool {
        guard packet.source.address == .v4(ipv4), case .v4(let destination) = packet.destination.address,
              packet.proto == .udp || packet.proto == .tcp else { return false }
        rewrite(&packet, source: Endpoint(.v6(ipv6), packet.source.port),
                destination: Endpoint(.v6(prefix.embed(destination)), packet.destination.port))
        return true
    }

    /// Rewrites an inbound packet to the CLAT's IPv6 address from an address in the prefix
    /// as IPv4 to the CLAT's IPv4 address (RFC 7915 §5.1); false when it cannot be
    /// translated (another source, ICMPv6).
    func translateInbound(_ packet: inout Packet) -> Bool {
        guard let source = prefix.extract(packet.source.address), packet.proto == .udp || packet.proto == .tcp else { return false }
        rewrite(&packet, source: Endpoint(.v4(source), packet.source.port), destination: Endpoint(.v4(ipv4), packet.destination.port))
        return true
    }

    private func rewrite(_ packet: inout Packet, source: Endpoint, destination: Endpoint) {
        if packet.proto == .tcp {
            TCPWireHeader.rewrite(&packet.payload, from: packet.source.address, packet.destination.address, to: source, destination)
        }
        packet.source = source
        packet.destination = destination
    }
}
