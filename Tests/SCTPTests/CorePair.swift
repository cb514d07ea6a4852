import NetTypes
@testable import SCTP

/// Two sans-IO cores on a deterministic in-memory path: a fixed one-way delay, optional
/// seeded random loss and drop rules picking packets by index or content, and a simulated
/// clock. Every input is followed by a full drain (the `SansIOCore` contract); packets and
/// events are recorded per side.
final class CorePair<Core: SansIOCore> {
    var cores: [Core]
    var now = Instant.zero
    var delay: Duration
    var deadlines: [Instant] = [.distantFuture, .distantFuture]
    var inFlight: [(arrival: Instant, order: Int, to: Int, datagram: Datagram)] = []
    var order = 0
    /// Every packet each side sent (before loss).
    var sent: [[[UInt8]]] = [[], []]
    var events: [[Core.Event]] = [[], []]
    var lossRate = 0.0
    var loss = Xoshiro256(seed: 99)
    /// Drop rule: side, index of the packet among that side's sends, its bytes.
    var drop: (Int, Int, [UInt8]) -> Bool = { _, _, _ in false }
    var dropped = 0
    /// Called for each event as it is drained (may feed the cores through `call`).
    var onEvent: (Int, Core.Event) -> Void = { _, _ in }

    init(_ a: Core, _ b: Core, delay: Duration = .milliseconds(20)) {
        cores = [a, b]
        self.delay = delay
    }

    /// An application call on one side at the current time, then its drain.
    func call(_ side: Int, _ body: (inout Core, Instant) -> Void) {
        body(&cores[side], now)
        drain(side)
    }

    func drain(_ side: Int) {
        while true {
            switch cores[side].pollOutput() {
            case .transmit(let datagram):
                let index = sent[side].count
                sent[side].append(datagram.payload)
                if drop(side, index, datagram.payload) || loss.chance(lossRate) {
                    dropped += 1
                } else {
                    inFlight.append((now + delay, order, 1 - side, datagram))
                    order += 1
                }
            case .event(let event):
                events[side].append(event)
                onEvent(side, event)
            case .timeout(let deadline):
                deadlines[side] = deadline
                return
            }
        }
    }

    /// Advances to the next arrival or deadline and handles it; false when nothing is left
    /// before `limit`.
    @discardableResult
    func step(until limit: Instant) -> Bool {
        let arrival = inFlight.min { ($0.arrival, $0.order) < ($1.arrival, $1.order) }
        let timer = min(deadlines[0], deadlines[1])
        let next = min(arrival?.arrival ?? .distantFuture, timer)
        guard next <= limit, next != .distantFuture else { return false }
        now = max(now, next)
        if let arrival, arrival.arrival <= timer {
            inFlight.removeAll { $0.order == arrival.order }
            cores[arrival.to].handle(arrival.datagram, now: now)
            drain(arrival.to)
        } else {
            let side = deadlines[0] <= deadlines[1] ? 0 : 1
            deadlines[side] = .distantFuture
            cores[side].handleTimeout(now: now)
            drain(side)
        }
        return true
    }

    /// Runs until `done` holds or the clock passes `limit`; returns whether `done` held.
    @discardableResult
    func run(for duration: Duration = .seconds(600), until done: () -> Bool = { false }) -> Bool {
        let limit = now + duration
        while !done() {
            guard step(until: limit) else { return done() }
        }
        return true
    }
}

typealias AssociationPair = CorePair<SCTPAssociation>

extension CorePair where Core == SCTPAssociation {
    static let addressA = Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 5000)
    static let addressB = Endpoint(.v4(IPv4Address(198, 51, 100, 2)), 5000)

    /// Two associations; `a` connects, and `b` too when `bothConnect` (WebRTC's way).
    convenience init(configuration: SCTPConfiguration = SCTPConfiguration(), seed: UInt64 = 1,
                     delay: Duration = .milliseconds(20)) {
        self.init(SCTPAssociation(configuration: configuration, local: Self.addressA, remote: Self.addressB, rng: Xoshiro256(seed: seed)),
                  SCTPAssociation(configuration: configuration, local: Self.addressB, remote: Self.addressA, rng: Xoshiro256(seed: seed &+ 1)),
                  delay: delay)
    }

    /// Connects (one or both sides) and runs until both are established.
    func establish(bothConnect: Bool = false) -> Bool {
        call(0) { $0.connect(now: $1) }
        if bothConnect { call(1) { $0.connect(now: $1) } }
        return run(for: .seconds(60)) { cores[0].state == .established && cores[1].state == .established }
    }

    /// Sends a message from `side` at the current time, then drains it.
    func send(_ side: Int, _ bytes: [UInt8], stream: UInt16 = 0, ppid: UInt32 = 53, unordered: Bool = false,
              reliability: SCTPReliability = .reliable) throws(SCTPError) {
        try cores[side].send(bytes, stream: stream, ppid: ppid, unordered: unordered, reliability: reliability, now: now)
        drain(side)
    }

    /// The messages side `side` received, in order.
    func messages(_ side: Int) -> [SCTPMessage] {
        events[side].compactMap { if case .message(let m) = $0 { m } else { nil } }
    }

    /// The packets side `side` sent, decoded.
    func packets(_ side: Int) -> [SCTPPacket] {
        sent[side].compactMap { try? SCTPPacket(decoding: $0) }
    }
}
