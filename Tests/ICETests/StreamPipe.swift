import ICE
import NetTypes

/// Two agents joined by an in-memory network of UDP datagrams and TCP connections, for
/// ICE-TCP (RFC 6544) without a simulator: a stream `.transmit` between endpoints that
/// have no connection opens one when the destination listens (a TCP base of the other
/// agent; the listener announces it with `streamOpened`, the opener names its local end
/// as it wrote it) and is refused otherwise (`streamClosed` at the opener). A stream
/// between simultaneous-open ports of both agents (RFC 6544 `so`) is a simultaneous open:
/// it connects once both have written toward each other, and until then holds what each
/// wrote, as two firewalls that drop the first SYN and let the answer through would
/// (a side that never writes leaves the other's attempt waiting). Stream bytes
/// are delivered in chunks of `chunk` bytes, so frames arrive split; every delivery takes
/// `delay`. Deterministic: outputs are handled in order, deliveries in time order.
struct StreamPipe {
    var agents: [ICEAgent]
    var now = Instant.zero
    let delay: Duration
    let chunk: Int
    /// Endpoints each agent listens on for TCP.
    var listening: [Set<Endpoint>]
    /// Simultaneous-open ports of each agent (bound, not listening).
    let simultaneousOpen: [Set<Endpoint>]
    /// Simultaneous opens one agent began and the other has not: the bytes written meanwhile.
    private var attempts: [(agent: Int, local: Endpoint, remote: Endpoint, held: [UInt8])] = []
    /// Open connections: (agent, its local name) → (other agent, its local name), both
    /// directions, and the real endpoints each side sees the other at.
    private var links: [Link] = []
    private var pending: [(at: Instant, agent: Int, action: Action)] = []
    private var nextPort: UInt16 = 40_000
    /// Connections refused (no listener).
    private(set) var refused = 0
    /// Stream bytes delivered to either agent.
    private(set) var streamBytesDelivered = 0

    struct Link {
        var agent: Int
        var local: Endpoint
        var remote: Endpoint
        var peerAgent: Int
        var peerLocal: Endpoint
        var peerRemote: Endpoint
    }

    enum Action {
        case datagram(Datagram)
        case opened(local: Endpoint, remote: Endpoint)
        case closed(local: Endpoint, remote: Endpoint)
    }

    init(_ a: ICEAgent, _ b: ICEAgent, listening: [Set<Endpoint>], simultaneousOpen: [Set<Endpoint>] = [[], []],
         delay: Duration = .milliseconds(10), chunk: Int = 7) {
        agents = [a, b]
        self.listening = listening
        self.simultaneousOpen = simultaneousOpen
        self.delay = delay
        self.chunk = chunk
    }

    /// Handles every output of both agents and delivers what is due, until `end`.
    mutating func run(until end: Instant) {
        while true {
            drainOutputs()
            let deadlines = agents.indices.map { deadline(of: $0) }
            let nextDelivery = pending.map(\.at).min() ?? .distantFuture
            let next = min(nextDelivery, deadlines.min() ?? .distantFuture)
            guard next <= end else { now = end; return }
            now = max(now, next)
            if nextDelivery <= now {
                let index = pending.firstIndex { $0.at == nextDelivery }!
                let item = pending.remove(at: index)
                apply(item.action, to: item.agent)
            } else {
                for i in agents.indices where deadline(of: i) <= now { agents[i].handleTimeout(now: now) }
            }
        }
    }

    private var deadlines: [Instant] = [.distantFuture, .distantFuture]

    private func deadline(of i: Int) -> Instant { deadlines[i] }

    private mutating func apply(_ action: Action, to i: Int) {
        switch action {
        case .datagram(let d):
            if d.transport == .tcp { streamBytesDelivered += d.payload.count }
            agents[i].handle(d, now: now)
        case .opened(let local, let remote): agents[i].streamOpened(local: local, remote: remote, transport: .tcp, now: now)
        case .closed(let local, let remote): agents[i].streamClosed(local: local, remote: remote, transport: .tcp, now: now)
        }
    }

    private mutating func drainOutputs() {
        for i in agents.indices {
            loop: while true {
                switch agents[i].pollOutput() {
                case .transmit(let d): route(d, from: i)
                case .event(let e): events[i].append(e.kind)
                case .timeout(let t): deadlines[i] = t; break loop
                }
            }
        }
    }

    /// Whether both agents are connected (or completed).
    var bothConnected: Bool { agents.allSatisfy { $0.connectionState == .connected || $0.connectionState == .completed } }

    /// What each agent reported.
    var events: [[ICEEvent.Kind]] = [[], []]

    private mutating func route(_ d: Datagram, from i: Int) {
        let other = 1 - i
        guard d.transport == .tcp else {
            pending.append((now + delay, other, .datagram(d)))
            return
        }
        if d.payload.isEmpty {
            attempts.removeAll { $0.agent == i && $0.local == d.source && $0.remote == d.destination }
            if let k = links.firstIndex(where: { $0.agent == i && $0.local == d.source && $0.remote == d.destination }) {
                let link = links.remove(at: k)
                pending.append((now + delay, link.peerAgent, .closed(local: link.peerLocal, remote: link.peerRemote)))
            }
            return
        }
        var link = links.first { $0.agent == i && $0.local == d.source && $0.remote == d.destination }
        if link == nil, simultaneousOpen[i].contains(d.source), simultaneousOpen[other].contains(d.destination) {
            guard let k = attempts.firstIndex(where: { $0.agent == other && $0.local == d.destination && $0.remote == d.source }) else {
                if let mine = attempts.firstIndex(where: { $0.agent == i && $0.local == d.source && $0.remote == d.destination }) {
                    attempts[mine].held += d.payload
                } else {
                    attempts.append((i, d.source, d.destination, d.payload))
                }
                return
            }
            let theirs = attempts.remove(at: k)
            let forward = Link(agent: i, local: d.source, remote: d.destination, peerAgent: other, peerLocal: d.destination, peerRemote: d.source)
            let backward = Link(agent: other, local: d.destination, remote: d.source, peerAgent: i, peerLocal: d.source, peerRemote: d.destination)
            links += [forward, backward]
            deliver(theirs.held, on: backward)
            link = forward
        }
        if link == nil {
            guard listening[other].contains(d.destination) else {
                refused += 1
                pending.append((now + delay, i, .closed(local: d.source, remote: d.destination)))
                return
            }
            nextPort += 1
            let real = Endpoint(d.source.address, nextPort)
            let forward = Link(agent: i, local: d.source, remote: d.destination, peerAgent: other, peerLocal: d.destination, peerRemote: real)
            let backward = Link(agent: other, local: d.destination, remote: real, peerAgent: i, peerLocal: d.source, peerRemote: d.destination)
            links += [forward, backward]
            pending.append((now + delay, other, .opened(local: d.destination, remote: real)))
            link = forward
        }
        deliver(d.payload, on: link!)
    }

    /// Delivers `bytes` written on `link` to its other end, `chunk` bytes at a time.
    private mutating func deliver(_ bytes: [UInt8], on link: Link) {
        var offset = 0
        while offset < bytes.count {
            let piece = Array(bytes[offset..<min(offset + chunk, bytes.count)])
            pending.append((now + delay, link.peerAgent,
                            .datagram(Datagram(source: link.peerRemote, destination: link.peerLocal, transport: .tcp, payload: piece))))
            offset += chunk
        }
    }

    /// Closes the connection `agent` knows as `local` ↔ `remote`, as a reset would: both
    /// ends hear of it.
    mutating func reset(agent i: Int, local: Endpoint, remote: Endpoint) {
        guard let k = links.firstIndex(where: { $0.agent == i && $0.local == local && $0.remote == remote }) else { return }
        let link = links[k]
        links.removeAll { ($0.agent == i && $0.local == local && $0.remote == remote)
            || ($0.agent == link.peerAgent && $0.local == link.peerLocal && $0.remote == link.peerRemote) }
        pending.append((now, i, .closed(local: local, remote: remote)))
        pending.append((now, link.peerAgent, .closed(local: link.peerLocal, remote: link.peerRemote)))
    }
}
