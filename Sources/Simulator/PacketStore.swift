/// Index of a packet in the simulation's `PacketStore`.
public typealias PacketSlot = Int32

/// A slab of packets in flight. Events refer to packets by slot so that queue entries
/// stay small; freed slots are reused so the slab does not grow with traffic.
public final class PacketStore {
    @usableFromInline var slots: [Packet] = []
    @usableFromInline var generations: [UInt32] = []
    @usableFromInline var free: [PacketSlot] = []

    init() {}

    /// Packets currently stored (in flight or queued).
    public var liveCount: Int { slots.count - free.count }

    /// Stores `packet` and returns its slot.
    @inlinable public func insert(_ packet: Packet) -> PacketSlot {
        if let slot = free.popLast() {
            slots[Int(slot)] = packet
            return slot
        }
        slots.append(packet)
        generations.append(0)
        return PacketSlot(slots.count - 1)
    }

    /// The packet in `slot`, readable and writable in place.
    @inlinable public subscript(slot: PacketSlot) -> Packet {
        _read { yield slots[Int(slot)] }
        _modify { yield &slots[Int(slot)] }
    }

    /// Removes and returns the packet in `slot`.
    @inlinable public func take(_ slot: PacketSlot) -> Packet {
        var packet = Packet(source: slots[Int(slot)].source, destination: slots[Int(slot)].destination, payload: [])
        swap(&packet, &slots[Int(slot)])
        release(slot)
        return packet
    }

    /// Frees `slot` (dropping its payload) for reuse.
    @inlinable public func release(_ slot: PacketSlot) {
        slots[Int(slot)].payload = []
        generations[Int(slot)] &+= 1
        free.append(slot)
    }

    /// A counter bumped each time `slot` is released: lets an event that refers to a
    /// slot detect that the packet it meant is gone.
    @inlinable public func generation(of slot: PacketSlot) -> UInt32 { generations[Int(slot)] }
}
