/// Index of a packet in the simulation's `PacketStore`.
public typealias PacketSlot = Int32

/// A slab of packets in flight. Events refer to packets by slot so that queue entries
/// stay small; freed slots are reused so the slab does not grow with traffic.
///
/// A value that points at memory its `Simulation` owns (and frees in its `deinit`), as the
/// event engine does: every node and link reads packet fields on every hop, and through a
/// class holding an `Array` each such read retained the store, the array's buffer and the
/// packet's payload (measured: over a third of a TCP flow's time went to reference
/// counting). Here a field read is a load from an address; only what is copied out (a
/// payload) is retained.
public struct PacketStore {
    @usableFromInline let storage: UnsafeMutablePointer<Storage>

    @usableFromInline
    struct Storage {
        /// Packets by slot; `count` of them initialised (freed slots hold an empty payload).
        @usableFromInline var packets: UnsafeMutablePointer<Packet>
        /// A counter per slot, bumped each time the slot is released.
        @usableFromInline var generations: UnsafeMutablePointer<UInt32>
        @usableFromInline var count = 0
        @usableFromInline var capacity: Int
        @usableFromInline var free: [PacketSlot] = []
    }

    init() {
        let capacity = 64
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(packets: .allocate(capacity: capacity), generations: .allocate(capacity: capacity),
                                       capacity: capacity))
    }

    /// Frees the slab; called once by the owning simulation's `deinit`.
    func deallocate() {
        storage.pointee.packets.deinitialize(count: storage.pointee.count)
        storage.pointee.packets.deallocate()
        storage.pointee.generations.deallocate()
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// Packets currently stored (in flight or queued).
    public var liveCount: Int { storage.pointee.count - storage.pointee.free.count }

    /// Stores `packet` and returns its slot.
    @inlinable public func insert(_ packet: __owned Packet) -> PacketSlot {
        if let slot = storage.pointee.free.popLast() {
            storage.pointee.packets[Int(slot)] = packet
            return slot
        }
        if storage.pointee.count == storage.pointee.capacity { grow() }
        let slot = storage.pointee.count
        (storage.pointee.packets + slot).initialize(to: packet)
        storage.pointee.generations[slot] = 0
        storage.pointee.count = slot + 1
        return PacketSlot(slot)
    }

    /// Doubles the slab (slots keep their indices).
    @usableFromInline func grow() {
        let capacity = storage.pointee.capacity * 2
        let packets = UnsafeMutablePointer<Packet>.allocate(capacity: capacity)
        packets.moveInitialize(from: storage.pointee.packets, count: storage.pointee.count)
        storage.pointee.packets.deallocate()
        let generations = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        generations.update(from: storage.pointee.generations, count: storage.pointee.count)
        storage.pointee.generations.deallocate()
        storage.pointee.packets = packets
        storage.pointee.generations = generations
        storage.pointee.capacity = capacity
    }

    /// The packet in `slot`, readable and writable in place.
    @inlinable public subscript(slot: PacketSlot) -> Packet {
        unsafeAddress { UnsafePointer(storage.pointee.packets + Int(slot)) }
        nonmutating unsafeMutableAddress { storage.pointee.packets + Int(slot) }
    }

    /// Removes and returns the packet in `slot`.
    @inlinable public func take(_ slot: PacketSlot) -> Packet {
        let packet = (storage.pointee.packets + Int(slot)).move()
        (storage.pointee.packets + Int(slot)).initialize(to: Packet(source: packet.source, destination: packet.destination,
                                                                    payload: []))
        retire(slot)
        return packet
    }

    /// Frees `slot` (dropping its payload) for reuse.
    @inlinable public func release(_ slot: PacketSlot) {
        storage.pointee.packets[Int(slot)].payload = []
        retire(slot)
    }

    @inlinable func retire(_ slot: PacketSlot) {
        storage.pointee.generations[Int(slot)] &+= 1
        storage.pointee.free.append(slot)
    }

    /// A counter bumped each time `slot` is released: lets an event that refers to a
    /// slot detect that the packet it meant is gone.
    @inlinable public func generation(of slot: PacketSlot) -> UInt32 { storage.pointee.generations[Int(slot)] }
}
