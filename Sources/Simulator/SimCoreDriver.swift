import NetTypes

/// Runs any sans-IO core on a simulated host: the simulator's twin of `UDPCoreDriver`.
///
/// Datagrams arriving on the driver's sockets go to the core with the virtual time; the
/// driver drains the core after every input, sends each `.transmit` from the socket bound
/// to the datagram's source (an exact bind, else a wildcard bind of that port), hands
/// each `.event` to `onEvent`, and arms a `SimTimer` for the core's deadline. Cores that
/// open endpoints at run time (a TURN server's relayed addresses) get them bound from
/// `onEvent` with `bind(_:)` and released with `close(_:)`.
public final class SimCoreDriver<Core: SansIOCore> {
    public let host: Host
    /// The core; mutate it through `withCore` so that its outputs are drained.
    public var core: Core { state }
    @usableFromInline var state: Core
    /// Called for every event, with the driver (to bind or close sockets).
    public var onEvent: (Core.Event, SimCoreDriver) -> Void
    /// Outputs whose source no socket of the driver is bound to.
    public var unroutable: Int { unroutableCount }
    @usableFromInline var unroutableCount = 0
    @usableFromInline var sockets: [Endpoint: UDPSocket] = [:]
    /// The socket of the last `.transmit` and its source: cores send runs of datagrams from
    /// one endpoint, so this spares most look-ups. Forgotten whenever a socket is bound or
    /// closed, so it always names the socket the look-up would find.
    @usableFromInline var lastSending: (source: Endpoint, socket: UDPSocket)?
    @usableFromInline var timer: SimTimer!
    @usableFromInline var loop = CoreDrain()
    /// Where `.transmit`s of stream bytes (transport `.tcp`/`.tls`, `StreamCore`) go: the
    /// TCP connections of a `SimStreamTransport`. Without one they are unroutable.
    public var onStreamTransmit: ((Datagram) -> Void)?

    // Inlinable, like `bind` and the input paths below: the closures they create are then
    // specialised for the core in the caller's module; generic ones cost every datagram
    // and timer of a core metadata look-ups and value-witness copies of its outputs.
    @inlinable
    public init(host: Host, core: Core, onEvent: @escaping (Core.Event, SimCoreDriver) -> Void = { _, _ in }) {
        self.host = host
        self.state = core
        self.onEvent = onEvent
        timer = SimTimer(simulation: host.simulation) { [unowned self] now in self.timerFired(now) }
    }

    /// The endpoints bound now, sorted.
    public var boundEndpoints: [Endpoint] { sockets.keys.sorted() }

    /// Binds a UDP socket on `endpoint` (port 0: an ephemeral port) whose datagrams go to
    /// the core; returns the bound endpoint.
    @inlinable @discardableResult
    public func bind(_ endpoint: Endpoint) throws(SocketError) -> Endpoint {
        let socket = try host.bindUDP(address: endpoint.address, port: endpoint.port)
        socket.onReceive = { [unowned self] datagram in self.received(datagram) }
        sockets[socket.local] = socket
        lastSending = nil
        return socket.local
    }

    /// Closes the socket bound on `endpoint`, if any.
    public func close(_ endpoint: Endpoint) {
        sockets.removeValue(forKey: endpoint)?.close()
        lastSending = nil
    }

    /// Hands the core a datagram that did not come through one of the driver's UDP
    /// sockets: stream bytes read from a TCP connection.
    public func deliver(_ datagram: Datagram) { received(datagram) }

    @inlinable func received(_ datagram: Datagram) {
        state.handle(datagram, now: loop.now(host.simulation.now))
        drain()
    }

    @inlinable func timerFired(_ now: Instant) {
        state.handleTimeout(now: loop.now(now))
        drain()
    }

    /// Runs `body` on the core at the current virtual time, then drains its outputs.
    @inlinable @discardableResult
    public func withCore<T>(_ body: (inout Core, Instant) -> T) -> T {
        let result = body(&state, loop.now(host.simulation.now))
        drain()
        return result
    }

    @inlinable func drain() {
        let deadline = loop.run(poll: { state.pollOutput() }, transmit: send, event: { onEvent($0, self) })
        timer.arm(at: deadline)
    }

    /// Sends from the socket bound to the datagram's source (exact, else a wildcard bind
    /// of that port), with the datagram's ECN field when it is not Not-ECT (else the
    /// socket's).
    @inlinable func send(_ datagram: Datagram) {
        let ecn = datagram.ecn == .notECT ? nil : datagram.ecn
        if datagram.transport.isReliable {
            if let onStreamTransmit { onStreamTransmit(datagram) } else { unroutableCount += 1 }
        } else if let last = lastSending, last.source == datagram.source {
            last.socket.send(datagram.payload, to: datagram.destination, ecn: ecn)
        } else if let socket = sockets[datagram.source]
            ?? sockets.first(where: { $0.key.port == datagram.source.port && $0.key.address.isUnspecified })?.value {
            lastSending = (datagram.source, socket)
            socket.send(datagram.payload, to: datagram.destination, ecn: ecn)
        } else {
            unroutableCount += 1
        }
    }
}
