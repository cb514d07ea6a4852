import NetTypes

/// Runs a sans-IO core on a simulated host: the simulator's twin of `Live`'s
/// `UDPCoreDriver`.
///
/// The driver binds one UDP socket per local endpoint, feeds every datagram received on
/// them to the core at the simulated time, drains the core after every input (sending
/// each `.transmit` from the socket whose endpoint is the datagram's source) and wakes
/// the core with a `SimTimer` at its deadline. Events go to `onEvent` once the drain is
/// over, so a handler may call back into the driver.
public final class SimCoreDriver<Core: SansIOCore> {
    public let host: Host
    public private(set) var core: Core
    /// Called with every event the core emits.
    public var onEvent: (Core.Event) -> Void = { _ in }
    /// Transmits whose source matched no bound socket.
    public private(set) var unroutable = 0
    private var sockets: [Endpoint: UDPSocket] = [:]
    private var timer: SimTimer!

    public init(host: Host, core: Core) {
        self.host = host
        self.core = core
        timer = SimTimer(simulation: host.simulation) { [unowned self] _ in
            withCore { core, now in core.handleTimeout(now: now) }
        }
    }

    /// Binds a socket on `address` (port 0: an ephemeral port) and returns its endpoint.
    @discardableResult
    public func bind(_ address: IPAddress, port: UInt16 = 0) throws(SocketError) -> Endpoint {
        let socket = try host.bindUDP(address: address, port: port)
        socket.onReceive = { [unowned self] datagram in
            withCore { core, now in core.handle(datagram, now: now) }
        }
        sockets[socket.local] = socket
        return socket.local
    }

    /// Runs `body` on the core at the current simulated time, then drains it.
    @discardableResult
    public func withCore<T>(_ body: (inout Core, Instant) -> T) -> T {
        let result = body(&core, host.simulation.now)
        drain()
        return result
    }

    private func drain() {
        var events: [Core.Event] = []
        while true {
            switch core.pollOutput() {
            case .transmit(let datagram):
                if let socket = sockets[datagram.source] { socket.send(datagram.payload, to: datagram.destination) } else { unroutable += 1 }
            case .event(let event):
                events.append(event)
            case .timeout(let deadline):
                timer.arm(at: deadline)
                events.forEach(onEvent)
                return
            }
        }
    }
}
