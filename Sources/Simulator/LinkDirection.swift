import DequeModule
import NetTypes

/// One direction of a link: serializer with a drop-tail queue (and CoDel when configured),
/// propagation delay, jitter, loss, duplication, reordering and MTU, in that order of
/// effect.
///
/// A bandwidth-limited packet costs one event: its transmission start and end are
/// computed on arrival from the transmitter's backlog, and the delivery is scheduled
/// directly. When a parameter changes mid-flight, packets still waiting for or in
/// transmission are re-timed at the new rate; packets already on the wire keep theirs.
public final class LinkDirection: EventHandler {
    public let name: String
    public unowned let link: Link
    /// The node this direction delivers to and the interface it arrives on.
    public unowned(unsafe) let receiver: Node
    public let receiverInterface: Int
    public private(set) var config: LinkConfig
    public internal(set) var stats = LinkStats()
    /// Observers of packets entering and leaving this direction (pcap, traces).
    public var taps: [PacketTap] = []

    private unowned(unsafe) let simulation: Simulation
    private var handlerID: Int32 = -1
    private var random: Xoshiro256
    private var inBadState = false
    /// When the transmitter finishes everything accepted so far.
    private var busyUntil: Int64 = 0
    /// Packets accepted by the serializer that have not yet fully left it.
    private var pending = Deque<Transmission>()
    private var pendingBytes = 0
    /// The latest delivery time among order-keeping packets.
    private var lastDelivery: Int64 = 0
    private var lastDepartedDelivery: Int64 = 0
    /// CoDel's state when `config.aqm` asks for it (RFC 8289).
    private var codel: CoDelState?
    /// PIE's state when `config.aqm` asks for it (RFC 8033).
    private var pie: PIEState?

    private struct Transmission {
        var slot: PacketSlot        // -1 when the packet is lost on the wire
        var size: Int
        var start: Int64
        var departure: Int64
        var extraDelay: Int64
        var keepsOrder: Bool
        var delivery: Int64
        var event: EventID?
    }

    init(name: String, link: Link, receiver: Node, receiverInterface: Int, config: LinkConfig, simulation: Simulation) {
        self.name = name
        self.link = link
        self.receiver = receiver
        self.receiverInterface = receiverInterface
        self.config = config
        self.simulation = simulation
        self.random = simulation.randomStream(for: "link:" + name)
        (codel, pie) = Self.aqmState(for: config)
        handlerID = simulation.register(self)
    }

    // MARK: Sending

    /// Offers a packet to this direction. Takes ownership of `slot`.
    public func send(_ slot: PacketSlot) {
        let size = simulation.packets[slot].wireSize
        stats.sentPackets += 1
        stats.sentBytes += size
        if !taps.isEmpty { tap(slot, .enter) }
        guard config.isUp else { drop(slot, .linkDown); return }
        guard size <= config.mtu else { drop(slot, .mtuExceeded); return }

        let now = simulation.now.nanoseconds
        let lost = drawLoss()
        var extra: Int64 = 0
        let jitter = config.jitter.nanoseconds
        if jitter > 0 { extra = Int64(random.next() % UInt64(2 * jitter + 1)) - jitter }
        var keepsOrder = !config.jitterReorders
        if config.reorder > 0 && random.chance(config.reorder) {
            extra += config.reorderDelay.nanoseconds
            keepsOrder = false
            stats.reorderedPackets += 1
        }

        guard let bandwidth = config.bandwidth else {
            if lost { drop(slot, .loss) } else { scheduleDelivery(slot, departure: now, extra: extra, keepsOrder: keepsOrder) }
            return
        }
        prune(now)
        let start = max(now, busyUntil)
        switch config.queue {
        case .unlimited: break
        case .time(let limit):
            if start - now > limit.nanoseconds { drop(slot, .queueOverflow); return }
        case .bytes(let limit):
            if waitingBytes(now) + size > limit { drop(slot, .queueOverflow); return }
        }
        if codel != nil, codel!.drops(now: start, sojourn: start - now, backlog: waitingBytes(now), mtu: config.mtu) {
            drop(slot, .aqm)
            return
        }
        if pie != nil, pie!.drops(now: now, delay: { [busyUntil] t in max(0, busyUntil - t) }, backlog: waitingBytes(now),
                                  mtu: config.mtu, random: { [self] in random.nextUnit() }) {
            drop(slot, .aqm)
            return
        }
        let departure = start + transmissionTime(size, bandwidth)
        busyUntil = departure
        stats.queueDelay.record(start - now)
        var entry = Transmission(slot: slot, size: size, start: start, departure: departure, extraDelay: extra,
                                 keepsOrder: keepsOrder, delivery: departure, event: nil)
        if lost {
            drop(slot, .loss)
            entry.slot = -1
        } else {
            (entry.event, entry.delivery) = scheduleDelivery(slot, departure: departure, extra: extra, keepsOrder: keepsOrder)
        }
        pending.append(entry)
        pendingBytes += size
    }

    /// Fresh AQM state for `config`'s discipline (nil for what it does not use).
    private static func aqmState(for config: LinkConfig) -> (CoDelState?, PIEState?) {
        switch config.aqm {
        case .dropTail: (nil, nil)
        case .codel(let parameters): (CoDelState(parameters), nil)
        case .pie(let parameters): (nil, PIEState(parameters))
        }
    }

    @inline(__always)
    private func transmissionTime(_ size: Int, _ bandwidth: Bitrate) -> Int64 {
        Int64(size) * 8_000_000_000 / bandwidth.bitsPerSecond
    }

    private func drawLoss() -> Bool {
        switch config.loss {
        case .none:
            return false
        case .bernoulli(let p):
            return random.chance(p)
        case .gilbertElliott(let model):
            if inBadState {
                if random.chance(model.badToGood) { inBadState = false }
            } else if random.chance(model.goodToBad) {
                inBadState = true
            }
            return random.chance(inBadState ? model.lossInBad : model.lossInGood)
        }
    }

    @discardableResult
    private func scheduleDelivery(_ slot: PacketSlot, departure: Int64, extra: Int64, keepsOrder: Bool) -> (EventID, Int64) {
        var time = max(departure + config.latency.nanoseconds + extra, departure)
        if keepsOrder {
            time = max(time, lastDelivery)
            lastDelivery = time
        }
        let id = simulation.schedule(at: Instant(nanoseconds: time), target: handlerID, arg: Int64(slot))
        return (id, time)
    }

    /// Forgets transmissions that have fully left the serializer.
    private func prune(_ now: Int64) {
        while let first = pending.first, first.departure <= now {
            pendingBytes -= first.size
            if first.keepsOrder && first.slot >= 0 { lastDepartedDelivery = max(lastDepartedDelivery, first.delivery) }
            pending.removeFirst()
        }
    }

    /// Bytes waiting behind the packet currently being serialized.
    private func waitingBytes(_ now: Int64) -> Int {
        guard let head = pending.first else { return 0 }
        return head.start <= now ? pendingBytes - head.size : pendingBytes
    }

    private func drop(_ slot: PacketSlot, _ reason: LinkDropReason) {
        stats.drops[reason] += 1
        simulation.packets.release(slot)
    }

    private func tap(_ slot: PacketSlot, _ point: TapPoint) {
        let packet = simulation.packets[slot]
        for tap in taps { tap.observe(packet, direction: self, point: point, at: simulation.now) }
    }

    // MARK: Delivering

    public func handleEvent(kind: UInt32, arg: Int64) {
        let slot = PacketSlot(truncatingIfNeeded: arg)
        let size = simulation.packets[slot].wireSize
        stats.deliveredPackets += 1
        stats.deliveredBytes += size
        if !taps.isEmpty { tap(slot, .exit) }
        if !simulation.packetObservers.isEmpty { simulation.notifyDelivery(slot, to: receiver, interface: receiverInterface) }
        if config.duplicate > 0 && random.chance(config.duplicate) {
            let copy = simulation.packets.insert(simulation.packets[slot])
            stats.duplicatedPackets += 1
            receiver.receive(slot, on: receiverInterface)
            receiver.receive(copy, on: receiverInterface)
        } else {
            receiver.receive(slot, on: receiverInterface)
        }
    }

    // MARK: Changing parameters

    /// Applies new parameters now. Packets waiting for or in transmission are re-timed
    /// at the new bandwidth and latency; taking the link down drops them.
    public func update(_ newConfig: LinkConfig) {
        let now = simulation.now.nanoseconds
        let old = config
        config = newConfig
        if newConfig.aqm != old.aqm { (codel, pie) = Self.aqmState(for: newConfig) }
        prune(now)
        if !newConfig.isUp {
            while let entry = pending.popFirst() {
                if let event = entry.event {
                    simulation.cancel(event)
                    drop(entry.slot, .linkDown)
                }
            }
            pendingBytes = 0
            busyUntil = now
            return
        }
        guard old.bandwidth != newConfig.bandwidth || old.latency != newConfig.latency, !pending.isEmpty else { return }
        lastDelivery = lastDepartedDelivery
        var cursor = now
        for index in pending.indices {
            var entry = pending[index]
            let fullTime = newConfig.bandwidth.map { transmissionTime(entry.size, $0) } ?? 0
            if entry.start <= now {
                // In transmission: the untransmitted share of the packet goes at the new rate.
                let share = Double(entry.departure - now) / Double(max(entry.departure - entry.start, 1))
                entry.departure = now + Int64((share * Double(fullTime)).rounded())
            } else {
                entry.start = cursor
                entry.departure = cursor + fullTime
            }
            cursor = entry.departure
            if let event = entry.event {
                simulation.cancel(event)
                (entry.event, entry.delivery) = scheduleDelivery(entry.slot, departure: entry.departure,
                                                                 extra: entry.extraDelay, keepsOrder: entry.keepsOrder)
            }
            pending[index] = entry
        }
        busyUntil = cursor
    }
}

/// Where a tap sees a packet: entering a link direction (before any loss) or leaving it
/// (delivered to the next node).
public enum TapPoint: Sendable {
    case enter, exit
}

/// Observes packets on a link direction (pcap capture, traces).
public protocol PacketTap: AnyObject {
    func observe(_ packet: Packet, direction: LinkDirection, point: TapPoint, at time: Instant)
}
