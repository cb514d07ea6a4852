import DequeModule
import Foundation
import NetTypes

/// One direction of a link: serializer with a drop-tail queue (and CoDel, PIE or FQ-CoDel
/// when configured), propagation delay, jitter, loss, duplication, reordering and MTU, in
/// that order of effect.
///
/// A bandwidth-limited packet costs one event: its transmission start and end are
/// computed on arrival from the transmitter's backlog, and the delivery is scheduled
/// directly. FQ-CoDel, whose order depends on later arrivals, instead takes one packet
/// each time the serializer frees (one more event per packet). When a parameter changes
/// mid-flight, packets still waiting for or in transmission are re-timed at the new rate;
/// packets already on the wire keep theirs.
public final class LinkDirection: EventHandler {
    public let name: String
    public unowned let link: Link
    /// The node this direction delivers to and the interface it arrives on.
    public var receiver: Node { receiverReference.takeUnretainedValue() }
    /// The receiver, unretained (the simulation keeps every node): handing a packet on
    /// then costs no reference counting.
    private let receiverReference: Unmanaged<Node>
    public let receiverInterface: Int
    public private(set) var config: LinkConfig
    public internal(set) var stats = LinkStats()
    /// Observers of packets entering and leaving this direction (pcap, traces).
    public var taps: [PacketTap] = []

    private unowned(unsafe) let simulation: Simulation
    /// The simulation's clock, scheduler and packets, without reference counting.
    private let sim: SimulationHandle
    private var handlerID: Int32 = -1
    private var random: Xoshiro256
    private var inBadState = false
    /// When the transmitter finishes everything accepted so far.
    private var busyUntil: Int64 = 0
    /// With a capacity trace: the capacity bytes served so far, counted from the trace's
    /// first opportunity (`CapacityTrace`).
    private var tracePosition: Int64 = 0
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
    /// FQ-CoDel's queues when `config.aqm` asks for them (RFC 8290): packets wait there
    /// until the serializer takes them.
    private var fq: FQCoDelQueue?
    /// When the serializer finishes its packet and takes the next one from `fq`.
    private var serializerEvent: EventID?
    /// The event kind of `serializerEvent` (deliveries are kind 0).
    private static let serializerFree: UInt32 = 1

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
        self.receiverReference = .passUnretained(receiver)
        self.receiverInterface = receiverInterface
        self.config = config
        self.simulation = simulation
        self.sim = simulation.handle
        self.random = simulation.randomStream(for: "link:" + name)
        super.init()
        handlerID = simulation.register(self)
        simulation.addLane(for: handlerID)
        resetAQM()
    }

    // MARK: Sending

    /// Offers a packet to this direction. Takes ownership of `slot`.
    public func send(_ slot: PacketSlot) {
        let size = sim.packets[slot].wireSize
        stats.sentPackets += 1
        stats.sentBytes += size
        if !taps.isEmpty { tap(slot, .enter) }
        guard config.isUp else { drop(slot, .linkDown); return }
        guard size <= config.mtu else { drop(slot, .mtuExceeded); return }

        let now = sim.now.nanoseconds
        let lost = drawLoss()
        var extra: Int64 = 0
        let jitter = config.jitter.nanoseconds
        if jitter > 0 { extra = drawJitter(jitter) }
        var keepsOrder = !config.jitterReorders
        if config.reorder > 0 && random.chance(config.reorder) {
            extra += config.reorderDelay.nanoseconds
            keepsOrder = false
            stats.reorderedPackets += 1
        }

        admit(slot, size: size, now: now, lost: lost, extra: extra, keepsOrder: keepsOrder)
    }

    /// Queues, times or delivers a packet that passed the link's up, MTU and loss draws.
    private func admit(_ slot: PacketSlot, size: Int, now: Int64, lost: Bool, extra: Int64, keepsOrder: Bool) {
        guard hasSerializer else {
            if lost { drop(slot, .loss) } else { scheduleDelivery(slot, departure: now, extra: extra, keepsOrder: keepsOrder) }
            return
        }
        prune(now)
        if fq != nil {
            enqueueFlowQueue(slot, size: size, now: now, lost: lost, extra: extra, keepsOrder: keepsOrder)
            return
        }
        let start = config.capacityTrace.map { traceStart($0, now: now) } ?? max(now, busyUntil)
        if overflows(size: size, waiting: waitingBytes(now), wait: start - now) { drop(slot, .queueOverflow); return }
        if codel != nil {
            let ecn = sim.packets[slot].ecn
            switch codel!.verdict(now: start, sojourn: start - now, backlog: waitingBytes(now), mtu: config.mtu, ecn: ecn) {
            case .pass: break
            case .mark: markCE(slot)
            case .drop: drop(slot, .aqm); return
            }
        }
        if pie != nil {
            let ecn = sim.packets[slot].ecn
            switch pie!.verdict(now: now, delay: { [busyUntil] t in max(0, busyUntil - t) }, backlog: waitingBytes(now),
                                mtu: config.mtu, ecn: ecn, random: { [self] in random.nextUnit() }) {
            case .pass: break
            case .mark: markCE(slot)
            case .drop: drop(slot, .aqm); return
            }
        }
        transmit(slot, size: size, start: start, waited: start - now, lost: lost, extra: extra, keepsOrder: keepsOrder)
    }

    /// Whether a packet of `size` bytes is over the drop-tail bound with `waiting` bytes
    /// ahead of it, to wait `wait` nanoseconds before its transmission starts.
    private func overflows(size: Int, waiting: Int, wait: Int64) -> Bool {
        switch config.queue {
        case .unlimited: false
        case .time(let limit): wait > limit.nanoseconds
        case .bytes(let limit): waiting + size > limit
        }
    }

    /// Puts a packet that queued for `waited` on the serializer from `start` and schedules
    /// its delivery.
    private func transmit(_ slot: PacketSlot, size: Int, start: Int64, waited: Int64, lost: Bool, extra: Int64, keepsOrder: Bool) {
        let departure = serializationEnd(start: start, size: size)
        busyUntil = departure
        stats.queueDelay.record(waited)
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

    private func markCE(_ slot: PacketSlot) {
        sim.packets[slot].ecn = .ce
        stats.ceMarked += 1
    }

    // MARK: FQ-CoDel

    /// Queues a packet on its flow's queue (RFC 8290 §4.1) and starts the serializer if idle.
    private func enqueueFlowQueue(_ slot: PacketSlot, size: Int, now: Int64, lost: Bool, extra: Int64, keepsOrder: Bool) {
        let packet = sim.packets[slot]
        let waiting = fq!.bytes
        if overflows(size: size, waiting: waiting, wait: max(0, busyUntil - now) + drainTime(waiting)) {
            drop(slot, .queueOverflow)
            return
        }
        let entry = FQCoDelQueue.Entry(slot: slot, size: size, arrival: now, extraDelay: extra, keepsOrder: keepsOrder,
                                       lost: lost, ecn: packet.ecn)
        if let dropped = fq!.enqueue(entry, flow: fq!.flow(of: packet)) { drop(dropped.slot, .queueOverflow) }
        guard serializerEvent == nil else { return }
        if busyUntil <= now {
            serveFlowQueues()
        } else {
            serializerEvent = sim.schedule(at: Instant(nanoseconds: busyUntil), target: handlerID, kind: Self.serializerFree)
        }
    }

    /// The serializer is free: takes the next packet FQ-CoDel serves and transmits it.
    private func serveFlowQueues() {
        serializerEvent = nil
        let now = sim.now.nanoseconds
        prune(now)
        guard hasSerializer, let next = fq?.dequeue(now: now, mtu: config.mtu, drop: { [self] in drop($0.slot, .aqm) }) else { return }
        let entry = next.entry
        if next.marked { markCE(entry.slot) }
        transmit(entry.slot, size: entry.size, start: now, waited: now - entry.arrival, lost: entry.lost, extra: entry.extraDelay,
                 keepsOrder: entry.keepsOrder)
        serializerEvent = sim.schedule(at: Instant(nanoseconds: busyUntil), target: handlerID, kind: Self.serializerFree)
    }

    /// Fresh AQM state for `config`'s discipline (nil for what it does not use).
    private func resetAQM() {
        (codel, pie, fq) = (nil, nil, nil)
        switch config.aqm {
        case .dropTail: break
        case .codel(let parameters): codel = CoDelState(parameters)
        case .pie(let parameters): pie = PIEState(parameters)
        case .fqCodel(let parameters): fq = FQCoDelQueue(parameters, perturbation: random.next())
        }
    }

    @inline(__always)
    private func transmissionTime(_ size: Int, _ bandwidth: Bitrate) -> Int64 {
        Int64(size) * 8_000_000_000 / bandwidth.bitsPerSecond
    }

    /// Whether packets are serialized (a bandwidth or a capacity trace) or leave at once.
    private var hasSerializer: Bool { config.bandwidth != nil || config.capacityTrace != nil }

    /// When a packet of `size` bytes whose transmission starts at `start` has left the
    /// serializer: at the bandwidth, or at the trace opportunity that serves its last byte
    /// (which also advances the trace position).
    private func serializationEnd(start: Int64, size: Int) -> Int64 {
        guard let trace = config.capacityTrace else { return start + transmissionTime(size, config.bandwidth!) }
        let first = max(tracePosition, CapacityTrace.opportunityBytes * trace.opportunities(before: start))
        tracePosition = first + Int64(size)
        return trace.time(ofOpportunity: (tracePosition - 1) / CapacityTrace.opportunityBytes)
    }

    /// With a trace, when a packet arriving at `now` starts: in the opportunity that holds
    /// the next unserved byte, or the first opportunity at or after `now` when the link
    /// is idle (an idle link's unused opportunities are lost, as in Mahimahi).
    private func traceStart(_ trace: CapacityTrace, now: Int64) -> Int64 {
        let first = max(tracePosition, CapacityTrace.opportunityBytes * trace.opportunities(before: now))
        return trace.time(ofOpportunity: first / CapacityTrace.opportunityBytes)
    }

    /// How long `bytes` take to drain: at the bandwidth, or at the trace's mean rate.
    private func drainTime(_ bytes: Int) -> Int64 {
        if let trace = config.capacityTrace { return Int64(Double(bytes) * 8e9 / trace.meanRate) }
        return config.bandwidth.map { transmissionTime(bytes, $0) } ?? 0
    }

    /// The capacity of this direction over the `window` that ends now, bit/s: the
    /// bandwidth, or what the trace's opportunities in that window carry; nil for an
    /// unlimited link.
    public func capacity(over window: Duration) -> Double? {
        if let trace = config.capacityTrace { return trace.rate(over: window.nanoseconds, endingAt: sim.now.nanoseconds) }
        return config.bandwidth.map { Double($0.bitsPerSecond) }
    }

    /// A packet's delay variation around the latency (RFC 8868 §4.5.3 for the bounded PDV models).
    private func drawJitter(_ jitter: Int64) -> Int64 {
        switch config.jitterDistribution {
        case .uniform:
            return Int64(random.next() % UInt64(2 * jitter + 1)) - jitter
        case .boundedPDV(let bound):
            // RFC 8868 §4.5.3: a Gaussian draw (Box-Muller), clamped to ±bound, its magnitude.
            let u1 = 1 - random.nextUnit(), u2 = random.nextUnit()
            let value = Double(jitter) * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
            return Int64(min(abs(value), Double(bound.nanoseconds)).rounded())
        }
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
        guard keepsOrder else { return (sim.schedule(at: Instant(nanoseconds: time), target: handlerID, arg: Int64(slot)), time) }
        time = max(time, lastDelivery)
        lastDelivery = time
        // In order: through the lane, which keeps the packets on the wire out of the heap.
        return (sim.scheduleInOrder(at: Instant(nanoseconds: time), target: handlerID, arg: Int64(slot)), time)
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
        sim.packets.release(slot)
    }

    private func tap(_ slot: PacketSlot, _ point: TapPoint) {
        let packet = sim.packets[slot]
        for tap in taps { tap.observe(packet, direction: self, point: point, at: sim.now) }
    }

    // MARK: Delivering

    override public func handleEvent(kind: UInt32, arg: Int64) {
        if kind == Self.serializerFree { serveFlowQueues(); return }
        let slot = PacketSlot(truncatingIfNeeded: arg)
        let size = sim.packets[slot].wireSize
        stats.deliveredPackets += 1
        stats.deliveredBytes += size
        if !taps.isEmpty { tap(slot, .exit) }
        if sim.observesPackets { simulation.notifyDelivery(slot, to: receiver, interface: receiverInterface) }
        let interface = receiverInterface
        if config.duplicate > 0 && random.chance(config.duplicate) {
            let copy = duplicate(slot)
            receiverReference._withUnsafeGuaranteedRef { $0.receive(slot, on: interface) }
            receiverReference._withUnsafeGuaranteedRef { $0.receive(copy, on: interface) }
        } else {
            receiverReference._withUnsafeGuaranteedRef { $0.receive(slot, on: interface) }
        }
    }

    /// Stores a copy of the packet in `slot`. Kept out of line: inlined, the optimiser
    /// hoisted the copy of the whole packet to the top of `handleEvent`, costing every
    /// delivery a retain and a release.
    @inline(never)
    private func duplicate(_ slot: PacketSlot) -> PacketSlot {
        stats.duplicatedPackets += 1
        return sim.packets.insert(sim.packets[slot])
    }

    // MARK: Changing parameters

    /// Applies new parameters now. Packets waiting for or in transmission are re-timed
    /// at the new bandwidth and latency; taking the link down drops them.
    public func update(_ newConfig: LinkConfig) {
        let now = sim.now.nanoseconds
        let old = config
        config = newConfig
        // Packets waiting in FQ-CoDel's queues leave them when the discipline changes, the
        // bandwidth goes or the link goes down: re-admitted below, or dropped.
        var waiting: [FQCoDelQueue.Entry] = []
        if newConfig.aqm != old.aqm || newConfig.bandwidth == nil || !newConfig.isUp {
            waiting = fq?.removeAll() ?? []
            if newConfig.aqm != old.aqm { resetAQM() }
        }
        if let event = serializerEvent, fq == nil || fq!.count == 0 {
            simulation.cancel(event)
            serializerEvent = nil
        }
        prune(now)
        if !newConfig.isUp {
            for entry in waiting { drop(entry.slot, .linkDown) }
            while let entry = pending.popFirst() {
                if let event = entry.event {
                    simulation.cancel(event)
                    drop(entry.slot, .linkDown)
                }
            }
            pendingBytes = 0
            busyUntil = now
            tracePosition = newConfig.capacityTrace.map { CapacityTrace.opportunityBytes * $0.opportunities(before: now) } ?? 0
            return
        }
        defer {
            for entry in waiting {
                admit(entry.slot, size: entry.size, now: now, lost: entry.lost, extra: entry.extraDelay, keepsOrder: entry.keepsOrder)
            }
        }
        guard old.bandwidth != newConfig.bandwidth || old.latency != newConfig.latency || old.capacityTrace != newConfig.capacityTrace,
              !pending.isEmpty else { return }
        lastDelivery = lastDepartedDelivery
        var cursor = now
        if newConfig.capacityTrace != old.capacityTrace, let trace = newConfig.capacityTrace {
            tracePosition = CapacityTrace.opportunityBytes * trace.opportunities(before: now)
        }
        for index in pending.indices {
            var entry = pending[index]
            let fullTime = newConfig.bandwidth.map { transmissionTime(entry.size, $0) } ?? 0
            if newConfig.capacityTrace != nil {
                // Under a trace the serializer's times come from the trace: a new trace
                // re-serves the packets from now; the same trace keeps their departures.
                if newConfig.capacityTrace != old.capacityTrace {
                    entry.start = max(cursor, now)
                    entry.departure = serializationEnd(start: entry.start, size: entry.size)
                }
            } else if entry.start <= now {
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
        if let event = serializerEvent {
            simulation.cancel(event)
            serializerEvent = sim.schedule(at: Instant(nanoseconds: busyUntil), target: handlerID, kind: Self.serializerFree)
        }
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
