import NetTypes
import TCP

/// Which end of a `TCPPair`.
enum Side: Hashable, CustomStringConvertible {
    case a, b
    var other: Side { self == .a ? .b : .a }
    var description: String { self == .a ? "A" : "B" }
}

/// A segment one end sent, as the harness saw it.
struct SentSegment: CustomStringConvertible {
    var time: Instant
    var from: Side
    var segment: TCPSegment
    var dropped: Bool
    /// The IP ECN field the segment was sent with.
    var ecn: ECNCodepoint = .notECT

    var description: String {
        "\(time) \(from) \(segment.flags) seq=\(segment.sequenceNumber) ack=\(segment.acknowledgmentNumber) len=\(segment.payload.count)"
            + (dropped ? " DROPPED" : "")
    }
}

/// Two TCP cores on a deterministic in-memory path: a fixed one-way delay, an optional
/// bottleneck rate, and drop rules that pick segments by content. Drives both through
/// the sans-IO contract (every input followed by a full drain) and records segments,
/// events, state changes and the bytes each end read.
final class TCPPair {
    var a: TCPConnection
    var b: TCPConnection
    var now = Instant.zero
    var delay: Duration
    /// Bytes per second of each direction's bottleneck; nil: no serialisation delay.
    var rate: Int?
    var busyUntil: [Side: Instant] = [.a: .zero, .b: .zero]
    var deadlines: [Side: Instant] = [.a: .distantFuture, .b: .distantFuture]
    var inFlight: [(arrival: Instant, order: Int, to: Side, datagram: Datagram)] = []
    var order = 0
    var log: [SentSegment] = []
    var events: [Side: [TCPEvent]] = [.a: [], .b: []]
    var states: [Side: [TCPState]]
    var read: [Side: [UInt8]] = [.a: [], .b: []]
    /// Whether an end reads everything as soon as it arrives.
    var autoRead: [Side: Bool] = [.a: true, .b: true]
    /// Drop rules: a segment from `side` matching `match` is dropped, `count` times.
    var drops: [(side: Side, count: Int, match: (TCPSegment) -> Bool)] = []
    /// Mark rules: an ECN-capable segment from `side` matching `match` arrives CE, `count` times.
    var marks: [(side: Side, count: Int, match: (TCPSegment) -> Bool)] = []

    static let addressA = Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 49152)
    static let addressB = Endpoint(.v4(IPv4Address(198, 51, 100, 2)), 80)

    init(a config: TCPConfiguration = TCPConfiguration(), b configB: TCPConfiguration? = nil,
         delay: Duration = .milliseconds(50), rate: Int? = nil, seed: UInt64 = 1, bListens: Bool = true) {
        a = TCPConnection(local: Self.addressA, remote: Self.addressB, configuration: config, rng: Xoshiro256(seed: seed))
        b = bListens
            ? TCPConnection(listeningOn: Self.addressB, configuration: configB ?? config, rng: Xoshiro256(seed: seed &+ 1))
            : TCPConnection(local: Self.addressB, remote: Self.addressA, configuration: configB ?? config, rng: Xoshiro256(seed: seed &+ 1))
        self.delay = delay
        self.rate = rate
        states = [.a: [a.state], .b: [b.state]]
    }

    subscript(side: Side) -> TCPConnection {
        get { side == .a ? a : b }
        set { if side == .a { a = newValue } else { b = newValue } }
    }

    /// Runs `body` on one end's core as an application call at the current time, then drains it.
    func call(_ side: Side, _ body: (inout TCPConnection, Instant) -> Void) {
        if side == .a { body(&a, now) } else { body(&b, now) }
        drain(side)
    }

    /// Drops the next `count` segments from `side` that match.
    func drop(from side: Side, count: Int = 1, where match: @escaping (TCPSegment) -> Bool) {
        drops.append((side, count, match))
    }

    func drain(_ side: Side) {
        while true {
            let output = side == .a ? a.pollOutput() : b.pollOutput()
            switch output {
            case .transmit(let datagram): send(datagram, from: side)
            case .event(let event): events[side, default: []].append(event)
            case .timeout(let deadline):
                deadlines[side] = deadline
                let state = self[side].state
                if states[side]?.last != state { states[side, default: []].append(state) }
                if autoRead[side] == true && self[side].readableBytes > 0 {
                    var bytes: [UInt8] = []
                    call(side) { core, now in bytes = core.receive(now: now) }
                    read[side, default: []].append(contentsOf: bytes)
                }
                return
            }
        }
    }

    /// Marks the next `count` ECN-capable segments from `side` that match CE on the path.
    func markCE(from side: Side, count: Int = 1, where match: @escaping (TCPSegment) -> Bool) {
        marks.append((side, count, match))
    }

    func send(_ datagram: Datagram, from side: Side) {
        var datagram = datagram
        let segment = try! TCPSegment(decoding: datagram.payload[...], source: datagram.source.address,
                                      destination: datagram.destination.address)
        var dropped = false
        if let i = drops.firstIndex(where: { $0.side == side && $0.count > 0 && $0.match(segment) }) {
            drops[i].count -= 1
            dropped = true
        }
        log.append(SentSegment(time: now, from: side, segment: segment, dropped: dropped, ecn: datagram.ecn))
        if datagram.ecn.isECNCapable, let i = marks.firstIndex(where: { $0.side == side && $0.count > 0 && $0.match(segment) }) {
            marks[i].count -= 1
            datagram.ecn = .ce
        }
        guard !dropped else { return }
        var departure = now
        if let rate {
            departure = max(now, busyUntil[side]!) + .nanoseconds(Int64(datagram.payload.count + 20) * 1_000_000_000 / Int64(rate))
            busyUntil[side] = departure
        }
        order += 1
        inFlight.append((departure + delay, order, side.other, datagram))
    }

    /// Runs events until `end` (or until nothing is pending).
    func run(until end: Instant) {
        while true {
            let next = inFlight.indices.min { (inFlight[$0].arrival, inFlight[$0].order) < (inFlight[$1].arrival, inFlight[$1].order) }
            let arrival = next.map { inFlight[$0].arrival } ?? .distantFuture
            let timerSide: Side = deadlines[.a]! <= deadlines[.b]! ? .a : .b
            let timer = deadlines[timerSide]!
            let t = min(arrival, timer)
            if t > end || t == .distantFuture {
                if end != .distantFuture { now = max(now, end) }
                return
            }
            now = t
            if arrival <= timer, let i = next {
                let item = inFlight.remove(at: i)
                if item.to == .a { a.handle(item.datagram, now: now) } else { b.handle(item.datagram, now: now) }
                drain(item.to)
            } else {
                if timerSide == .a { a.handleTimeout(now: now) } else { b.handleTimeout(now: now) }
                drain(timerSide)
            }
        }
    }

    /// Runs for `span` more.
    func run(for span: Duration) { run(until: now + span) }

    /// A connects, B listens; runs until both are established.
    func handshake() {
        call(.a) { core, now in core.connect(now: now) }
        run(for: delay * Int64(4))
    }

    /// The data segments `side` sent (with their sequence numbers), in order.
    func dataSegments(from side: Side) -> [SentSegment] {
        log.filter { $0.from == side && !$0.segment.payload.isEmpty }
    }
}

/// `count` bytes of a recognisable pattern.
func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) } }
