import NetTypes

/// Synthesises the IP and transport headers the simulator does not store, byte-exact
/// (RFC 791 / RFC 8200 / RFC 768), for pcap files and ICMP error quotes.
public enum PacketHeaders {
    /// The full IP packet: IP header, UDP header (for UDP) and payload.
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
            bytes.append(contentsOf: [0x45, 0x00, UInt8(total >> 8), UInt8(total & 0xFF)])
            bytes.append(contentsOf: [UInt8(packet.id >> 8 & 0xFF), UInt8(packet.id & 0xFF), 0x40, 0x00])
            bytes.append(contentsOf: [packet.ttl, packet.proto.rawValue, 0, 0])
            bytes.append(contentsOf: src.bytes)
            bytes.append(contentsOf: dst.bytes)
            let checksum = internetChecksum(bytes[start..<start + 20])
            bytes[start + 10] = UInt8(checksum >> 8)
            bytes[start + 11] = UInt8(checksum & 0xFF)
        default:
            let payloadLength = total - 40
            bytes.append(contentsOf: [0x60, 0x00, 0x00, 0x00, UInt8(payloadLength >> 8 & 0xFF), UInt8(payloadLength & 0xFF),
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

    /// IPv4 source and destination as 16-byte IPv6 text would need them: an IPv4 address
    /// in an IPv6 header is written IPv4-mapped (mixed-family packets do not occur on
    /// the simulated wire; this keeps the writer total).
    static func v6Bytes(_ address: IPAddress) -> [UInt8] {
        switch address {
        case .v6(let a): return a.bytes
        case .v4(let a): return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + a.bytes
        }
    }

    /// The sum over the RFC 768 / RFC 8200 §8.1 pseudo-header.
    static func pseudoHeaderSum(_ packet: Packet, length: Int) -> UInt32 {
        var sum: UInt32 = 0
        switch (packet.source.address, packet.destination.address) {
        case (.v4(let s), .v4(let d)):
            sum = onesComplementAdd(sum, s.bytes[...])
            sum = onesComplementAdd(sum, d.bytes[...])
            sum += UInt32(packet.proto.rawValue)
            sum += UInt32(length)
        default:
            sum = onesComplementAdd(sum, v6Bytes(packet.source.address)[...])
            sum = onesComplementAdd(sum, v6Bytes(packet.destination.address)[...])
            sum += UInt32(length >> 16) + UInt32(length & 0xFFFF)
            sum += UInt32(packet.proto.rawValue)
        }
        return sum
    }

    /// The RFC 1071 internet checksum of `bytes`.
    public static func internetChecksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        ~fold(onesComplementAdd(0, bytes))
    }

    static func onesComplementAdd(_ initial: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        var sum = UInt64(initial)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            sum += UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < bytes.endIndex { sum += UInt64(bytes[index]) << 8 }
        while sum >> 32 != 0 { sum = (sum & 0xFFFF_FFFF) + (sum >> 32) }
        return UInt32(sum)
    }

    static func fold(_ sum: UInt32) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
        return UInt16(s)
    }
}
