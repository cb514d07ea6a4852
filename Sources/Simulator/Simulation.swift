import NetTypes

/// One deterministic simulation: a virtual clock, an event queue ordered by
/// (time, sequence number), a seeded PRNG, and the network built on them.
///
/// Single-threaded by design: a sweep runs many `Simulation`s in parallel, never one
/// simulation on several threads. Same construction + same seed ⇒ same events.
public final class Simulation {
    /// The current virtual time.
    @inlinable public var now: Instant { Instant(nanoseconds: engine.pointee.now) }
    /// The seed every random stream of this simulation derives from.
    public let seed: UInt64
    /// Packets in flight, referred to by slot.
    public let packets = PacketStore()
    /// Events handled so far.
    public var eventsProcessed: UInt64 { engine.pointee.eventsProcessed }
    /// The clock, scheduler and packets without reference counting (`SimulationHandle`).
    public var handle: SimulationHandle { SimulationHandle(engine: engine, packets: packets) }

    /// The event loop's state lives behind a pointer: the hot loop then touches plain
    /// memory instead of class properties, which Swift would guard with dynamic
    /// exclusivity checks on every access (measured: ~20% of the loop).
    @usableFromInline let engine: UnsafeMutablePointer<Engine>
    /// Keeps registered handlers alive; the engine's table holds unretained references.
    private var owners: [EventHandler] = []
    private lazy var closures = ClosureEvents(simulation: self)

    /// Every node, in creation order.
    public internal(set) var nodes: [Node] = []
    /// Every link, in creation order.
    public internal(set) var links: [Link] = []
    /// Observers of packet deliveries everywhere in the network (traces, hashes).
    public var packetObservers: [PacketObserver] = [] {
        didSet { engine.pointee.observesPackets = !packetObservers.isEmpty }
    }

    public init(seed: UInt64) {
        self.seed = seed
        engine = .allocate(capacity: 1)
        engine.initialize(to: Engine())
    }

    deinit {
        packets.deallocate()
        engine.pointee.queue.deallocate()
        engine.pointee.deallocateLanes()
        engine.deinitialize(count: 1)
        engine.deallocate()
    }

    // MARK: Randomness

    /// An independent random stream for the component called `name`. Streams depend on
    /// the seed and the name only, so adding a component leaves the others' draws alone.
    public func randomStream(for name: String) -> Xoshiro256 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Xoshiro256.stream(seed: seed, id: hash)
    }

    /// A fresh, unique packet ID.
    public func makePacketID() -> UInt64 { handle.makePacketID() }

    // MARK: Scheduling

    /// Registers a component; the returned index addresses its events.
    public func register(_ handler: EventHandler) -> Int32 {
        precondition(engine.pointee.handlers.count < ScheduledEvent.maxHandlers, "too many event handlers")
        owners.append(handler)
        engine.pointee.handlers.append(HandlerReference(handler: .passUnretained(handler), lane: -1))
        return Int32(engine.pointee.handlers.count - 1)
    }

    /// Gives handler `target` an event lane (`EventLane`): its events scheduled with
    /// `SimulationHandle.scheduleInOrder` then wait outside the heap while they come in
    /// time order. Order of execution is the same as without.
    public func addLane(for target: Int32) {
        engine.pointee.addLane(for: target)
    }

    /// Schedules `kind`/`arg` for handler `target` at `time` (clamped to now: the past
    /// cannot be scheduled).
    @inlinable @discardableResult
    public func schedule(at time: Instant, target: Int32, kind: UInt32 = 0, arg: Int64 = 0) -> EventID {
        EventID(seq: engine.pointee.schedule(at: time.nanoseconds, target: target, kind: kind, arg: arg))
    }

    /// Schedules a closure at `time`. Convenient for timelines and tests; hot paths use
    /// `schedule(at:target:kind:arg:)`, which allocates nothing.
    @discardableResult
    public func schedule(at time: Instant, _ action: @escaping (Simulation) -> Void) -> EventID {
        closures.schedule(at: time, action)
    }

    /// Schedules a closure `delay` after now.
    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping (Simulation) -> Void) -> EventID {
        closures.schedule(at: now + delay, action)
    }

    /// Cancels a scheduled event; cancelling one that already ran does nothing.
    public func cancel(_ id: EventID) {
        if id.seq < engine.pointee.nextSeq { engine.pointee.cancelled.insert(id.seq) }
    }

    /// Events still queued (cancelled ones included until they are reached).
    public var pendingEvents: Int { engine.pointee.pendingEvents }

    /// The time of the next event, if any.
    public var nextEventTime: Instant? { engine.pointee.queue.first.map { Instant(nanoseconds: $0.time) } }

    // MARK: Running

    /// Handles every event up to and including `limit`, then sets the clock to `limit`.
    public func run(until limit: Instant) {
        let end = limit.nanoseconds
        while let top = engine.pointee.queue.first, top.time <= end { handleFirst(top) }
        if end > engine.pointee.now { engine.pointee.now = end }
    }

    /// Runs for `span` of virtual time from now.
    public func run(for span: Duration) { run(until: now + span) }

    /// Handles events until none is left, or `maxEvents` were handled. Returns whether
    /// the queue drained (false: stopped by the limit).
    @discardableResult
    public func runUntilIdle(maxEvents: UInt64 = .max) -> Bool {
        var budget = maxEvents
        while budget > 0, let top = engine.pointee.queue.first {
            handleFirst(top)
            budget -= 1
        }
        return engine.pointee.queue.isEmpty
    }

    /// Handles the next event; false when there is none.
    @discardableResult
    public func step() -> Bool {
        guard let top = engine.pointee.queue.first else { return false }
        handleFirst(top)
        return true
    }

    /// Removes `top`, the next event, from the queue and handles it: one read of the
    /// handler table for both.
    @inline(__always) func handleFirst(_ top: ScheduledEvent) {
        let entry = engine.pointee.handlers[top.target]
        engine.pointee.removeFirst(top, lane: entry.lane)
        dispatch(top, to: entry.handler)
    }

    @inline(__always) func dispatch(_ event: ScheduledEvent, to handler: Unmanaged<EventHandler>) {
        if !engine.pointee.cancelled.isEmpty, engine.pointee.cancelled.remove(event.seq) != nil {
            handler._withUnsafeGuaranteedRef { $0.eventCancelled(kind: event.kind, arg: event.arg) }
            return
        }
        engine.pointee.now = event.time
        engine.pointee.eventsProcessed &+= 1
        handler._withUnsafeGuaranteedRef { $0.handleEvent(kind: event.kind, arg: event.arg) }
    }

    // MARK: Packet observation

    /// Tells every observer that `slot` was delivered to `node` on `interface`.
    func notifyDelivery(_ slot: PacketSlot, to node: Node, interface: Int) {
        for observer in packetObservers {
            observer.packetDelivered(packets[slot], to: node, interface: interface, at: now)
        }
    }
}

/// What per-packet components (links, nodes) use of their simulation, as plain pointers
/// into memory the simulation owns: the clock, the scheduler and the packet slab.
///
/// Kept by each component beside its `Simulation` reference: called through that (unowned)
/// reference, every schedule and packet access was wrapped in a retain and a release, as
/// the compiler cannot prove an unowned object alive across a call. Valid as long as the
/// simulation is, which owns the components.
public struct SimulationHandle {
    @usableFromInline let engine: UnsafeMutablePointer<Engine>
    /// The packets in flight.
    public let packets: PacketStore

    /// The current virtual time.
    @inlinable public var now: Instant { Instant(nanoseconds: engine.pointee.now) }

    /// Whether anything observes packet deliveries (`Simulation.packetObservers`).
    @inlinable public var observesPackets: Bool { engine.pointee.observesPackets }

    /// `Simulation.makePacketID()`.
    @inlinable public func makePacketID() -> UInt64 {
        engine.pointee.lastPacketID += 1
        return engine.pointee.lastPacketID
    }

    /// `Simulation.schedule(at:target:kind:arg:)`.
    @inlinable @discardableResult
    public func schedule(at time: Instant, target: Int32, kind: UInt32 = 0, arg: Int64 = 0) -> EventID {
        EventID(seq: engine.pointee.schedule(at: time.nanoseconds, target: target, kind: kind, arg: arg))
    }

    /// `schedule(at:target:kind:arg:)` through the lane of `target` (`Simulation.addLane`;
    /// without one, the same as `schedule`): for a handler whose events mostly come in
    /// time order. Same order of execution.
    @inlinable @discardableResult
    public func scheduleInOrder(at time: Instant, target: Int32, kind: UInt32 = 0, arg: Int64 = 0) -> EventID {
        EventID(seq: engine.pointee.scheduleInLane(at: time.nanoseconds, target: target, kind: kind, arg: arg))
    }
}

/// The event loop's hot state: clock, queue, handler table, cancellations.
@usableFromInline
struct Engine {
    @usableFromInline var now: Int64 = 0
    @usableFromInline var nextSeq: UInt64 = 0
    @usableFromInline var eventsProcessed: UInt64 = 0
    @usableFromInline var queue = EventQueue()
    @usableFromInline var handlers: [HandlerReference] = []
    @usableFromInline var cancelled: Set<UInt64> = []
    @usableFromInline var lastPacketID: UInt64 = 0
    @usableFromInline var observesPackets = false
    /// The handlers' event lanes (`EventLane`), indexed by `HandlerReference.lane`.
    @usableFromInline var lanes: UnsafeMutablePointer<EventLane> = .allocate(capacity: 0)
    @usableFromInline var laneCount = 0
    var laneCapacity = 0

    mutating func addLane(for target: Int32) {
        guard handlers[Int(target)].lane < 0 else { return }
        if laneCount == laneCapacity {
            laneCapacity = max(8, laneCapacity * 2)
            let bigger = UnsafeMutablePointer<EventLane>.allocate(capacity: laneCapacity)
            bigger.moveInitialize(from: lanes, count: laneCount)
            lanes.deallocate()
            lanes = bigger
        }
        (lanes + laneCount).initialize(to: EventLane())
        handlers[Int(target)].lane = Int32(laneCount)
        laneCount += 1
    }

    func deallocateLanes() {
        for i in 0..<laneCount { lanes[i].deallocate() }
        lanes.deallocate()
    }

    /// Events pending in the heap and in the lanes (a lane's head is in both).
    var pendingEvents: Int {
        var total = queue.count
        for i in 0..<laneCount where lanes[i].count > 1 { total += lanes[i].count - 1 }
        return total
    }

    /// `schedule` into the lane of `target`: appended there when it comes no earlier than
    /// the lane's last event (and pushed on the heap too when it is the lane's head),
    /// else pushed on the heap alone. A target without a lane is scheduled as usual.
    @inlinable
    mutating func scheduleInLane(at time: Int64, target: Int32, kind: UInt32, arg: Int64) -> UInt64 {
        let index = handlers[Int(target)].lane
        guard index >= 0 else { return schedule(at: time, target: target, kind: kind, arg: arg) }
        let event = makeEvent(at: time, target: target, kind: kind, arg: arg)
        let lane = lanes + Int(index)
        if lane.pointee.count == 0 {
            lane.pointee.append(event)
            queue.push(event)
        } else if lane.pointee.last.time <= event.time {
            lane.pointee.append(event)
        } else {
            queue.push(event)
        }
        return event.seq
    }

    /// Removes `top`, the heap's minimum, whose handler has lane `index` (-1: none); when
    /// it heads that lane, the lane's next event takes its place in the heap.
    @inlinable
    mutating func removeFirst(_ top: ScheduledEvent, lane index: Int32) {
        if index >= 0 {
            let lane = lanes + Int(index)
            if lane.pointee.count > 0 && lane.pointee.first.order == top.order {
                lane.pointee.removeFirst()
                if lane.pointee.count > 0 {
                    queue.replaceFirst(with: lane.pointee.first)
                    return
                }
            }
        }
        queue.removeFirst()
    }

    /// Queues an event at `time` (clamped to now) and returns its sequence number.
    @inlinable
    mutating func schedule(at time: Int64, target: Int32, kind: UInt32, arg: Int64) -> UInt64 {
        let event = makeEvent(at: time, target: target, kind: kind, arg: arg)
        queue.push(event)
        return event.seq
    }

    /// The next event to schedule: the next sequence number, `time` clamped to now (the
    /// past cannot be scheduled).
    @inlinable
    mutating func makeEvent(at time: Int64, target: Int32, kind: UInt32, arg: Int64) -> ScheduledEvent {
        let seq = nextSeq
        precondition(seq < ScheduledEvent.maxSequence, "event sequence space exhausted")
        nextSeq &+= 1
        return ScheduledEvent(time: time < now ? now : time, seq: seq, target: target, kind: kind, arg: arg)
    }
}

/// An unretained reference to a registered handler (the simulation's `owners` array
/// retains it): dispatch then costs no reference counting.
@usableFromInline
struct HandlerReference {
    let handler: Unmanaged<EventHandler>
    /// The handler's index in `Engine.lanes`, -1 when it has none.
    @usableFromInline var lane: Int32
}

/// Sees every packet delivered by a link to a node: for traces and determinism hashes.
public protocol PacketObserver: AnyObject {
    func packetDelivered(_ packet: Packet, to node: Node, interface: Int, at time: Instant)
}

/// Closures scheduled on the event queue, kept in a slab indexed by the event's `arg`.
final class ClosureEvents: EventHandler {
    private unowned let simulation: Simulation
    private var actions: [((Simulation) -> Void)?] = []
    private var free: [Int] = []
    private var handlerID: Int32 = -1

    init(simulation: Simulation) {
        self.simulation = simulation
        super.init()
    }

    func schedule(at time: Instant, _ action: @escaping (Simulation) -> Void) -> EventID {
        if handlerID < 0 { handlerID = simulation.register(self) }
        let index: Int
        if let reused = free.popLast() {
            index = reused
            actions[index] = action
        } else {
            index = actions.count
            actions.append(action)
        }
        return simulation.schedule(at: time, target: handlerID, arg: Int64(index))
    }

    override func handleEvent(kind: UInt32, arg: Int64) {
        guard let action = take(Int(arg)) else { return }
        action(simulation)
    }

    override func eventCancelled(kind: UInt32, arg: Int64) {
        _ = take(Int(arg))
    }

    private func take(_ index: Int) -> ((Simulation) -> Void)? {
        guard let action = actions[index] else { return nil }
        actions[index] = nil
        free.append(index)
        return action
    }
}
