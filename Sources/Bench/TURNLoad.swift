import NetTypes
import STUN
import TURN

/// Load on a TURN server: `slots` TURN clients that each allocate, bind a channel to an
/// echoing peer, exchange packets with it through the relay (keeping `window` in
/// flight), release, and start over until `allocations` allocations have been through.
/// A slot reuses its socket for its next allocation, unless there is a local endpoint per
/// allocation: then each allocation comes from a port of its own (a server may keep a
/// released allocation's 5-tuple for a while; coturn answers 437 on it).
///
/// One core drives all clients and the peer, so one `UDPCoreDriver` with a socket per
/// client and one for the peer runs it. Packets unanswered for a second count as lost.
public struct TURNLoad: SansIOCore {
    /// What to do.
    public struct Plan: Sendable {
        public var server: Endpoint
        public var username: String
        public var password: String
        /// One client per local endpoint, `concurrency` at a time; with at least one per
        /// allocation, each allocation gets an endpoint of its own.
        public var locals: [Endpoint]
        /// Clients running at once (at most `locals.count`).
        public var concurrency: Int
        /// The echoing peer's endpoint (bound by the same driver).
        public var peer: Endpoint
        public var allocations: Int
        public var packetsPerAllocation: Int
        public var window: Int
        public var payloadSize: Int

        public init(server: Endpoint, username: String, password: String, locals: [Endpoint], peer: Endpoint,
                    allocations: Int, packetsPerAllocation: Int, window: Int, payloadSize: Int = 100, concurrency: Int? = nil) {
            self.server = server
            self.username = username
            self.password = password
            self.locals = locals
            self.concurrency = min(concurrency ?? locals.count, locals.count)
            self.peer = peer
            self.allocations = allocations
            self.packetsPerAllocation = packetsPerAllocation
            self.window = window
            self.payloadSize = payloadSize
        }
    }

    /// How the load went.
    public struct Outcome: Sendable {
        /// Allocations released after their traffic.
        public var completed = 0
        public var failed = 0
        /// Why allocations failed, by reason.
        public var failures: [String: Int] = [:]
        /// Packets that went to the peer and came back.
        public var echoed = 0
        public var lost = 0
        public var seconds = 0.0
    }

    public let plan: Plan
    private var rng = Xoshiro256(seed: 0x7475_726E)
    private var slots: [Slot] = []
    private var slotOf: [Endpoint: Int] = [:]
    private var outputs: [Datagram] = []
    private var outputHead = 0
    private var started = 0
    private var outcome = Outcome()
    private var startTime = Instant.zero
    private var finished: Outcome?

    private struct Slot {
        var client: TURNClient
        var deadline = Instant.distantFuture
        var sent = 0
        var received = 0
        var lastProgress = Instant.zero
    }

    public init(plan: Plan) { self.plan = plan }

    /// Starts every client (call once the sockets are bound).
    public mutating func start(now: Instant) {
        startTime = now
        for (index, local) in plan.locals.prefix(plan.concurrency).enumerated() where started < plan.allocations {
            slotOf[local] = index
            slots.append(Slot(client: newClient(local), lastProgress: now))
            begin(index, now: now)
        }
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        if datagram.destination == plan.peer {
            outputs.append(Datagram(source: plan.peer, destination: datagram.source, payload: datagram.payload))
        } else if let index = slotOf[datagram.destination] {
            slots[index].client.handle(datagram, now: now)
            drive(index, now: now)
        }
    }

    public mutating func handleTimeout(now: Instant) {
        for index in slots.indices {
            if slots[index].deadline <= now {
                slots[index].client.handleTimeout(now: now)
                drive(index, now: now)
            }
            if slots[index].client.state == .allocated, now - slots[index].lastProgress >= .seconds(1) {
                outcome.lost += slots[index].sent - slots[index].received
                slots[index].received = slots[index].sent
                progress(index, now: now)
                drive(index, now: now)
            }
        }
    }

    public mutating func pollOutput() -> CoreOutput<Outcome> {
        if outputHead < outputs.count {
            defer {
                outputHead += 1
                if outputHead == outputs.count { outputs.removeAll(keepingCapacity: true); outputHead = 0 }
            }
            return .transmit(outputs[outputHead])
        }
        if let result = finished { finished = nil; return .event(result) }
        var deadline = Instant.distantFuture
        for slot in slots {
            deadline = min(deadline, slot.deadline)
            if slot.client.state == .allocated { deadline = min(deadline, slot.lastProgress + .seconds(1)) }
        }
        return .timeout(deadline)
    }

    // MARK: Internals

    private mutating func newClient(_ local: Endpoint) -> TURNClient {
        var configuration = TURNClientConfiguration(server: plan.server, local: local, username: plan.username, password: plan.password)
        configuration.transactions.initialRTO = .milliseconds(200)
        return TURNClient(configuration: configuration, rng: Xoshiro256(seed: rng.next()))
    }

    private mutating func begin(_ index: Int, now: Instant) {
        started += 1
        slots[index].sent = 0
        slots[index].received = 0
        slots[index].lastProgress = now
        slots[index].client.allocate(now: now)
        drive(index, now: now)
    }

    private mutating func drive(_ index: Int, now: Instant) {
        while true {
            switch slots[index].client.pollOutput() {
            case .transmit(let datagram): outputs.append(datagram)
            case .event(let event): react(index, event, now: now)
            case .timeout(let deadline): slots[index].deadline = deadline; return
            }
        }
    }

    private mutating func react(_ index: Int, _ event: TURNClientEvent, now: Instant) {
        switch event {
        case .allocated:
            slots[index].client.bindChannel(to: plan.peer, now: now)
            progress(index, now: now)
        case .data:
            slots[index].received += 1
            outcome.echoed += 1
            progress(index, now: now)
        case .allocationFailed(let failure):
            outcome.failed += 1
            outcome.failures["allocate: \(failure)", default: 0] += 1
            next(index, now: now)
        case .allocationExpired:
            outcome.failed += 1
            outcome.failures["expired", default: 0] += 1
            next(index, now: now)
        case .deallocated:
            outcome.completed += 1
            next(index, now: now)
        default:
            break
        }
    }

    /// Sends while the window allows; releases once every packet came back (or was lost).
    private mutating func progress(_ index: Int, now: Instant) {
        slots[index].lastProgress = now
        var slot = slots[index]
        if slot.received >= plan.packetsPerAllocation {
            slots[index].client.release(now: now)
            return
        }
        while slot.sent < plan.packetsPerAllocation && slot.sent - slot.received < plan.window {
            slot.client.send([UInt8](repeating: 0x42, count: plan.payloadSize), to: plan.peer, now: now)
            slot.sent += 1
        }
        slots[index] = slot
    }

    /// A fresh client on the slot's socket, or the end of the run.
    private mutating func next(_ index: Int, now: Instant) {
        if started < plan.allocations {
            var local = plan.locals[index]
            if plan.locals.count >= plan.allocations {
                slotOf[slots[index].client.configuration.local] = nil
                local = plan.locals[started]
                slotOf[local] = index
            }
            slots[index].client = newClient(local)
            begin(index, now: now)
        } else if outcome.completed + outcome.failed == plan.allocations {
            outcome.seconds = (now - startTime).seconds
            finished = outcome
        }
    }
}
