import NetTypes

/// A running FNV-1a hash over every packet delivery (time, receiving node and
/// interface, addresses, protocol, TTL and payload): two runs are identical exactly
/// when their hashes are (up to hash collisions).
public final class PacketTraceHash: PacketObserver {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    public private(set) var deliveries = 0

    public init() {}

    public func packetDelivered(_ packet: Packet, to node: Node, interface: Int, at time: Instant) {
        deliveries += 1
        mix(UInt64(bitPattern: time.nanoseconds))
        mix(UInt64(node.id) << 16 | UInt64(UInt16(truncatingIfNeeded: interface)))
        for byte in packet.source.address.bytes { mixByte(byte) }
        for byte in packet.destination.address.bytes { mixByte(byte) }
        mix(UInt64(packet.source.port) << 32 | UInt64(packet.destination.port) << 16
            | UInt64(packet.proto.rawValue) << 8 | UInt64(packet.ttl))
        for byte in packet.payload { mixByte(byte) }
    }

    @inline(__always) private func mixByte(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
    }

    private func mix(_ word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { mixByte(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }
}
