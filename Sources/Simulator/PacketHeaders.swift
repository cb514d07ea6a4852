import NetTypes

/// Synthesises the IP and UDP headers the simulator does not store, byte-exact
/// (RFC 791 / RFC 8200 / RFC 768), for pcap files and ICMP error quotes. (TCP and ICMP
/// packets carry their transport header in the payload.)
public enum PacketHeaders {
    /// The full IP packet: IP header, UDP header (for UDP) and payload (for TCP the whole
    /// segment, so an ICMP quote of it holds the ports and sequence number, RFC 792).
    public static func ipPacket(_ packet: Packet) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(packet.wireSize)
        appendIPHeader(packet, to: &bytes)
        if packet.proto == .udp { appendUDPHeader(packet, to: &bytes) }
        bytes.append(contentsOf: packet.payload)
        return bytes
    }

    static func appendIPHeader(_ packet: Packet, to bytes: inout [UInt8]) {
        let total = packet.wireSize
        switch (packet.source.address, packet.destination.address) {
        case (.v4(let src), .v4(let dst)):
            let start = bytes.count
            // The TOS byte: DSCP 0 (default forwarding) and the ECN field (RFC 3168 §5).
            bytes.append(contentsOf: [0x45, packet.ecn.rawValue, UInt8(total >> 8), UInt8(total & 0xFF)])
            bytes.append(contentsOf: [UInt8(packet.id >> 8 & 0xFF), UInt8(packet.id & 0xFF), 0x40, 0x00])
            bytes.append(contentsOf: [packet.ttl, packet.proto.rawValue, 0, 0])
            bytes.append(contentsOf: src.bytes)
            bytes.append(contentsOf: dst.bytes)
            let checksum = internetChecksum(bytes[start..<start + 20])
            bytes[start + 10] = UInt8(checksum >> 8)
            bytes[start + 11] = UInt8(checksum & 0xFF)
        default:
            let payloadLength = total - 40
            // Version 6 and a traffic class of DSCP 0 and the ECN field (RFC 8200 §7).
            bytes.append(contentsOf: [0x60, packet.ecn.rawValue << 4, 0x00, 0x00, UInt8(payloadLength >> 8 & 0xFF), UInt8(payloadLength & 0xFF),
                                      packet.proto.rawValue, packet.ttl])
            bytes.append(contentsOf: v6Bytes(packet.source.address))
            bytes.append(contentsOf: v6Bytes(packet.destination.address))
        }
    }

    static func appendUDPHeader(_ packet: Packet, to bytes: inout [UInt8]) {
        let length = 8 + packet.payload.count
        let header: [UInt8] = [UInt8(packet.source.port >> 8), UInt8(packet.source.port & 0xFF),
                               UInt8(packet.destination.port >> 8), UInt8(packet.destination.port & 0xFF),
                               UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), 0, 0]
        var sum = pseudoHeaderSum(packet, length: length)
        sum = onesComplementAdd(sum, header[...])
        sum = onesComplementAdd(sum, packet.payload[...])
        var checksum = ~fold(sum)
        if checksum == 0 { checksum = 0xFFFF }  // RFC 768: zero means "no checksum"
        bytes.append(contentsOf: header[0..<6])
        bytes.append(UInt8(checksum >> 8))
        bytes.append(UInt8(checksum & 0xFF))
    }

    /// The 16 bytes an IPv6 header carries for `address` (IPv4 addresses IPv4-mapped:
    /// mixed-family packets do not occur on the simulated wire; this keeps the writer total).
    static func v6Bytes(_ address: IPAddress) -> [UInt8] { InternetChecksum.ipv6Bytes(address) }

    /// The sum over the RFC 768 / RFC 8200 §8.1 pseudo-header.
    static func pseudoHeaderSum(_ packet: Packet, length: Int) -> UInt32 {
        InternetChecksum.pseudoHeaderSum(source: packet.source.address, destination: packet.destination.address,
                                         protocolNumber: packet.proto.rawValue, length: length)
    }

    /// The RFC 1071 internet checksum of `bytes`.
    public static func internetChecksum(_ bytes: ArraySlice<UInt8>) -> UInt16 { InternetChecksum.checksum(bytes) }

    static func onesComplementAdd(_ initial: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        InternetChecksum.add(initial, bytes)
    }

    static func fold(_ sum: UInt32) -> UInt16 { InternetChecksum.fold(sum) }
}
