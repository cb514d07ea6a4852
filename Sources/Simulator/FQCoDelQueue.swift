import DequeModule
import NetTypes

/// The queues of FQ-CoDel (RFC 8290) on one link direction: packets hashed by 5-tuple
/// into `flows` queues, each with its own CoDel (RFC 8290 §4.1.3), served by deficit
/// round robin with new flows ahead of old ones (§4.2).
///
/// Unlike drop-tail, CoDel and PIE, whose FIFO order lets the link time a packet when
/// it arrives, the order here depends on later arrivals (a sparse flow arriving later
/// goes ahead), so the link takes packets out one at a time when its serializer frees.
struct FQCoDelQueue {
    /// A packet waiting in a flow queue, with what the link decided on arrival.
    struct Entry {
        var slot: PacketSlot
        var size: Int
        var arrival: Int64
        var extraDelay: Int64
        var keepsOrder: Bool
        /// Lost on the wire once transmitted (the loss model drew it on arrival).
        var lost: Bool
        var ecn: ECNCodepoint
    }

    private struct Flow {
        var packets = Deque<Entry>()
        var bytes = 0
        var deficit = 0
        var codel: CoDelState
        /// On the new or the old list (§4.2); a flow on neither is inactive.
        var isListed = false
    }

    let quantum: Int
    let limit: Int
    /// Keys the flow hash, so that which flows collide differs from run seed to run seed
    /// (Linux's `perturbation`), not from process to process.
    let perturbation: UInt64
    private var flows: [Flow]
    private var newFlows = Deque<Int>()
    private var oldFlows = Deque<Int>()
    /// Packets and bytes in all queues.
    private(set) var count = 0
    private(set) var bytes = 0

    init(_ parameters: FQCoDelParameters, perturbation: UInt64) {
        quantum = parameters.quantum
        limit = parameters.limit
        self.perturbation = perturbation
        flows = [Flow](repeating: Flow(codel: CoDelState(parameters.codel)), count: parameters.flows)
    }

    /// The queue of `packet`'s flow: a keyed hash of its 5-tuple (RFC 8290 §4.1.1).
    func flow(of packet: Packet) -> Int {
        var h = perturbation
        Self.mix(&h, Self.bits(packet.source.address))
        Self.mix(&h, Self.bits(packet.destination.address))
        Self.mix(&h, UInt64(packet.source.port) << 24 | UInt64(packet.destination.port) << 8 | UInt64(packet.proto.rawValue))
        return Int(h % UInt64(flows.count))
    }

    /// Queues `entry` on `flow`, which joins the new flows if it was inactive (§4.1.2).
    /// Over `limit`, the head packet of the flow with the most bytes is dropped and
    /// returned (§4.1: the fattest flow pays, not the arriving one).
    mutating func enqueue(_ entry: Entry, flow index: Int) -> Entry? {
        flows[index].packets.append(entry)
        flows[index].bytes += entry.size
        count += 1
        bytes += entry.size
        if !flows[index].isListed {
            flows[index].isListed = true
            flows[index].deficit = quantum
            newFlows.append(index)
        }
        guard count > limit else { return nil }
        var fattest = index
        for i in flows.indices where flows[i].bytes > flows[fattest].bytes { fattest = i }
        return removeHead(of: fattest)
    }

    /// The next packet to transmit at `now` and whether CoDel marks it CE; the packets
    /// CoDel drops on the way go to `drop` (§4.2 with §4.1.3). Nil when all queues are empty.
    mutating func dequeue(now: Int64, mtu: Int, drop: (Entry) -> Void) -> (entry: Entry, marked: Bool)? {
        while true {
            let isNew: Bool
            let index: Int
            if let first = newFlows.first {
                (index, isNew) = (first, true)
            } else if let first = oldFlows.first {
                (index, isNew) = (first, false)
            } else {
                return nil
            }
            // A flow that spent its quantum gets another and waits behind the old flows.
            if flows[index].deficit <= 0 {
                flows[index].deficit += quantum
                pop(isNew)
                oldFlows.append(index)
                continue
            }
            while let entry = removeHead(of: index) {
                switch flows[index].codel.verdict(now: now, sojourn: now - entry.arrival, backlog: bytes, mtu: mtu, ecn: entry.ecn) {
                case .drop:
                    drop(entry)
                case .pass:
                    flows[index].deficit -= entry.size
                    return (entry, false)
                case .mark:
                    flows[index].deficit -= entry.size
                    return (entry, true)
                }
            }
            // The flow is empty: a new flow moves to the old list so that it cannot come
            // back as new at once and starve the old ones; an old flow goes inactive.
            pop(isNew)
            if isNew && !oldFlows.isEmpty {
                oldFlows.append(index)
            } else {
                flows[index].isListed = false
            }
        }
    }

    /// Empties all queues, returning the waiting packets in service order of flows.
    mutating func removeAll() -> [Entry] {
        var entries: [Entry] = []
        for index in newFlows + oldFlows {
            entries.append(contentsOf: flows[index].packets)
            flows[index].packets.removeAll()
            flows[index].bytes = 0
            flows[index].isListed = false
        }
        newFlows.removeAll()
        oldFlows.removeAll()
        count = 0
        bytes = 0
        return entries
    }

    private mutating func removeHead(of index: Int) -> Entry? {
        guard let entry = flows[index].packets.popFirst() else { return nil }
        flows[index].bytes -= entry.size
        count -= 1
        bytes -= entry.size
        return entry
    }

    private mutating func pop(_ isNew: Bool) {
        if isNew { newFlows.removeFirst() } else { oldFlows.removeFirst() }
    }

    private static func bits(_ address: IPAddress) -> UInt64 {
        switch address {
        case .v4(let a): return UInt64(a.value)
        case .v6(let a): return a.high ^ (a.low &* 0x9E37_79B9_7F4A_7C15)
        }
    }

    /// One step of a SplitMix64-style mix of `value` into `h`.
    private static func mix(_ h: inout UInt64, _ value: UInt64) {
        var z = h &+ value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        h = z ^ (z >> 31)
    }
}
