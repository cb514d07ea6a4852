import NetTypes

/// What a listener tells its owner.
public enum TCPListenerEvent: Hashable, Sendable {
    /// A handshake from `remote` completed; `accept()` hands the connection out.
    case connectionReady(remote: Endpoint)
    /// A SYN from `remote` was dropped: the half-open backlog or the accept queue is full.
    case synDropped(remote: Endpoint)
}

/// A passive open on `local` (RFC 9293 §3.10.1, LISTEN; an unspecified address listens
/// on every address of its family): answers SYNs with SYN-ACKs,
/// holds the half-open connections, and hands established ones out through `accept()`.
///
/// Memory is bounded against SYN floods: at most `maximumHalfOpen` connections in
/// SYN-RECEIVED (Linux `tcp_max_syn_backlog`), each retiring when its SYN-ACK
/// retransmissions run out (`TCPConfiguration.synAckRetries`), and at most `backlog`
/// established connections awaiting `accept` (listen(2)'s backlog); further SYNs are
/// dropped, as Linux drops them without SYN cookies. Segments of an accepted connection
/// go to that connection, not here; segments of one awaiting `accept` are still handled
/// here (its data waits in the connection, visible as `readableBytes` once accepted).
public struct TCPListener: SansIOCore {
    public typealias Event = TCPListenerEvent

    public let local: Endpoint
    public let configuration: TCPConfiguration
    /// Established connections awaiting `accept` at most.
    public let backlog: Int
    /// Connections in SYN-RECEIVED at most.
    public let maximumHalfOpen: Int
    /// SYNs dropped because a queue was full.
    public private(set) var droppedSYNs = 0

    /// Half-open and established-but-not-accepted connections in arrival order (linear
    /// search: the queues are short, and an array keeps the iteration order, hence the
    /// output, deterministic).
    var connections: [TCPConnection] = []
    var rng: Xoshiro256
    var outputs = OutputQueue<TCPListenerEvent>()

    public init(local: Endpoint, configuration: TCPConfiguration = TCPConfiguration(), backlog: Int = 128,
                maximumHalfOpen: Int = 256, rng: Xoshiro256) {
        self.local = local
        self.configuration = configuration
        self.backlog = backlog
        self.maximumHalfOpen = maximumHalfOpen
        self.rng = rng
    }

    /// Connections in SYN-RECEIVED.
    public var halfOpenCount: Int { connections.count { $0.state == .synReceived } }
    /// Established connections awaiting `accept`.
    public var readyCount: Int { connections.count - halfOpenCount }

    /// The oldest established connection, removed from the listener: its owner drives it
    /// from now on (its outputs so far have been drained here).
    public mutating func accept() -> TCPConnection? {
        guard let i = connections.firstIndex(where: { $0.state != .synReceived }) else { return nil }
        return connections.remove(at: i)
    }

    /// Segments go to the connection of their (destination, source) pair; a SYN for no
    /// connection opens one on the address it was sent to (so a listener bound to all
    /// addresses answers from the right one); anything else follows the LISTEN rules of
    /// RFC 9293 §3.10.7.2: an RST is ignored, an ACK draws an RST, the rest is dropped.
    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard datagram.destination.port == local.port,
              local.address.isUnspecified ? datagram.destination.address.family == local.address.family
                                          : datagram.destination.address == local.address else { return }
        if let i = connections.firstIndex(where: { $0.remote == datagram.source && $0.local == datagram.destination }) {
            connections[i].handle(datagram, now: now)
            drain(i)
            return
        }
        guard let segment = try? TCPSegment(decoding: datagram.payload[...], source: datagram.source.address,
                                            destination: datagram.destination.address) else { return }
        let flags = segment.flags
        guard flags.contains(.syn) && !flags.contains(.ack) && !flags.contains(.rst) else {
            if flags.contains(.ack), let reset = TCPSegment.reset(answering: segment) {
                outputs.append(.transmit(Datagram(source: datagram.destination, destination: datagram.source, transport: .tcp,
                                                  payload: reset.encode(source: datagram.destination.address,
                                                                        destination: datagram.source.address))))
            }
            return
        }
        guard halfOpenCount < maximumHalfOpen, readyCount < backlog else {
            droppedSYNs += 1
            outputs.append(.event(.synDropped(remote: datagram.source)))
            return
        }
        var connection = TCPConnection(listeningOn: datagram.destination, configuration: configuration,
                                       rng: Xoshiro256(seed: rng.next()))
        connection.handle(datagram, now: now)
        connections.append(connection)
        drain(connections.count - 1)
    }

    public mutating func handleTimeout(now: Instant) {
        var i = 0
        while i < connections.count {
            let count = connections.count
            if connections[i].timers.next <= now {
                connections[i].handleTimeout(now: now)
                drain(i)
            }
            if connections.count == count { i += 1 }
        }
    }

    public mutating func pollOutput() -> CoreOutput<TCPListenerEvent> {
        if let output = outputs.next() { return output }
        var deadline = Instant.distantFuture
        for connection in connections { deadline = min(deadline, connection.timers.next) }
        return .timeout(deadline)
    }

    /// Forwards connection `i`'s segments; reports it ready once established; drops it
    /// when it failed, closed or went back to LISTEN before being accepted. Its other
    /// events are summed up in its state (readable bytes, CLOSE-WAIT) for the owner.
    mutating func drain(_ i: Int) {
        while true {
            switch connections[i].pollOutput() {
            case .transmit(let datagram): outputs.append(.transmit(datagram))
            case .event(.connected): outputs.append(.event(.connectionReady(remote: connections[i].remote)))
            case .event: break
            case .timeout:
                if connections[i].state == .listen || connections[i].state == .closed { connections.remove(at: i) }
                return
            }
        }
    }
}
