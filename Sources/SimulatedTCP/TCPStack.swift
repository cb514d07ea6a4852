import NetTypes
import Simulator
import TCP

/// TCP on a simulated host: the host's `HostTCPStack`, which runs the TCP module's
/// sans-IO cores (`TCPConnection`, `TCPListener`) as sockets.
///
/// Segments are demultiplexed as a kernel does: to the connection of their
/// (local, remote) pair first, then to a listener on their port (an exact address bind
/// before a wildcard one); a segment nobody wants is answered with an RST
/// (RFC 9293 §3.10.7.1). ICMP errors about a connection's segments reach it as
/// RFC 5461 says (`TCPConnection.handleUnreachable`). TCP ports are a space of their own,
/// apart from the host's UDP ports.
public final class TCPStack: HostTCPStack {
    public unowned let host: Host
    /// The configuration of connections opened without one of their own.
    public var configuration: TCPConfiguration
    /// Segments answered with an RST because no connection or listener wanted them.
    public private(set) var resetsSent = 0
    /// Segments that were not valid TCP (bad checksum, truncated) and matched nothing.
    public private(set) var malformedSegments = 0
    /// ICMP errors that matched no connection.
    public private(set) var unmatchedICMP = 0

    private var connections: [TCPConnectionKey: TCPSocket] = [:]
    /// The connection the last segment went to: a flow's segments come in runs, so this
    /// spares most look-ups (each hashes two endpoints). Forgotten whenever a connection
    /// is registered or unregistered, so it always names what the look-up would find.
    /// Two fields rather than an optional tuple: copying a tuple went through the
    /// runtime's generic value witnesses on every segment.
    private var lastKey: TCPConnectionKey?
    private var lastSocket: TCPSocket?
    private var listeners: [UInt16: [TCPListenSocket]] = [:]
    /// Local ports in use by connections and listeners, with how many use each.
    private var portUsers: [UInt16: Int] = [:]
    /// Ports held by `bind` (one use each in `portUsers`).
    private var boundPorts: Set<UInt16> = []
    private var random: Xoshiro256

    /// Installs a TCP stack on `host` (replacing any other) and returns it.
    @discardableResult
    public static func install(on host: Host, configuration: TCPConfiguration = TCPConfiguration()) -> TCPStack {
        let stack = TCPStack(host: host, configuration: configuration)
        host.tcp = stack
        return stack
    }

    private init(host: Host, configuration: TCPConfiguration) {
        self.host = host
        self.configuration = configuration
        random = host.simulation.randomStream(for: "tcp:" + host.name)
    }

    /// Open connections (TIME-WAIT included) and listeners.
    public var connectionCount: Int { connections.count }
    public var listenerCount: Int { listeners.values.reduce(0) { $0 + $1.count } }

    // MARK: Opening

    /// Listens on `address` (nil: every IPv4 address; `IPAddress.v6(.any)` for IPv6) and
    /// `port` (0: an ephemeral port). `backlog` and `maximumHalfOpen` bound the queues
    /// (see `TCPListener`).
    public func listen(address: IPAddress? = nil, port: UInt16, backlog: Int = 128, maximumHalfOpen: Int = 256,
                       configuration: TCPConfiguration? = nil) throws(SocketError) -> TCPListenSocket {
        let bindAddress = address ?? .v4(.any)
        if !bindAddress.isUnspecified && !host.owns(bindAddress) { throw .addressNotLocal(bindAddress) }
        let chosen = port == 0 ? try ephemeralPort() : port
        if listeners[chosen, default: []].contains(where: { $0.local.address.overlapsBinding(bindAddress) }) {
            throw .addressInUse(Endpoint(bindAddress, chosen))
        }
        var configuration = configuration ?? self.configuration
        configuration.mtu = min(configuration.mtu, mtu(of: bindAddress))
        let core = TCPListener(local: Endpoint(bindAddress, chosen), configuration: configuration,
                               backlog: backlog, maximumHalfOpen: maximumHalfOpen, rng: Xoshiro256(seed: random.next()))
        let listener = TCPListenSocket(stack: self, core: core)
        listeners[chosen, default: []].append(listener)
        portUsers[chosen, default: 0] += 1
        return listener
    }

    /// Binds `port` on `address` without listening (0: an ephemeral port), as bind(2) on a
    /// socket with SO_REUSEADDR that will connect: the port is kept from ephemeral draws
    /// until `unbind`, and connections opened `from` it (`connect(to:from:)`) share it,
    /// one per remote endpoint. Two such connections toward each other are a simultaneous
    /// open (RFC 9293 §3.5 Figure 8), what RFC 6544 simultaneous-open candidates rely on.
    /// A SYN to a bound port with no connection toward its sender is answered with an
    /// RST, as for any port nobody listens on.
    public func bind(address: IPAddress, port: UInt16) throws(SocketError) -> Endpoint {
        guard host.owns(address) else { throw .addressNotLocal(address) }
        let chosen = port == 0 ? try ephemeralPort() : port
        if portUsers[chosen] != nil { throw .addressInUse(Endpoint(address, chosen)) }
        portUsers[chosen] = 1
        boundPorts.insert(chosen)
        return Endpoint(address, chosen)
    }

    /// Releases a port `bind` kept (once; other ports are left alone); its connections
    /// keep it until they end.
    public func unbind(_ endpoint: Endpoint) {
        guard boundPorts.remove(endpoint.port) != nil else { return }
        release(endpoint.port)
    }

    /// Opens a connection to `remote` (sends the SYN now). `local` nil: the address of
    /// the interface that routes to `remote` and an ephemeral port; a port of 0 in
    /// `local` picks an ephemeral one.
    public func connect(to remote: Endpoint, from local: Endpoint? = nil, configuration: TCPConfiguration? = nil,
                        onEvent: ((TCPEvent, TCPSocket) -> Void)? = nil) throws(SocketError) -> TCPSocket {
        let route = host.route(toward: remote.address)
        let address: IPAddress
        if let given = local?.address, !given.isUnspecified {
            guard host.owns(given) else { throw .addressNotLocal(given) }
            address = given
        } else {
            guard let routed = route?.source else { throw .noRoute(remote.address) }
            address = routed
        }
        let port = local.map(\.port) ?? 0
        let endpoint = Endpoint(address, port == 0 ? try ephemeralPort() : port)
        let key = TCPConnectionKey(local: endpoint, remote: remote)
        if connections[key] != nil { throw .addressInUse(endpoint) }
        var configuration = configuration ?? self.configuration
        if let interface = route?.interface, let link = host.interfaces[interface].outbound {
            configuration.mtu = min(configuration.mtu, link.config.mtu)
        }
        let core = TCPConnection(local: endpoint, remote: remote, configuration: configuration, rng: Xoshiro256(seed: random.next()))
        let socket = register(core)
        socket.onEvent = onEvent
        socket.withConnection { connection, now in connection.connect(now: now) }
        return socket
    }

    // MARK: Bookkeeping for sockets

    /// Registers an open connection (connected or accepted) under its address pair.
    func register(_ connection: TCPConnection) -> TCPSocket {
        let socket = TCPSocket(stack: self, core: connection)
        connections[TCPConnectionKey(local: connection.local, remote: connection.remote)] = socket
        forgetLastConnection()
        portUsers[connection.local.port, default: 0] += 1
        return socket
    }

    /// Forgets a connection that reached CLOSED.
    func unregister(_ socket: TCPSocket) {
        let key = TCPConnectionKey(local: socket.local, remote: socket.remote)
        guard connections[key] === socket else { return }
        connections[key] = nil
        forgetLastConnection()
        release(socket.local.port)
    }

    /// Forgets a closed listener.
    func unregister(_ listener: TCPListenSocket) {
        let port = listener.local.port
        guard let index = listeners[port]?.firstIndex(where: { $0 === listener }) else { return }
        listeners[port]?.remove(at: index)
        if listeners[port]?.isEmpty == true { listeners[port] = nil }
        release(port)
    }

    private func forgetLastConnection() {
        lastKey = nil
        lastSocket = nil
    }

    private func release(_ port: UInt16) {
        portUsers[port, default: 1] -= 1
        if portUsers[port] == 0 { portUsers[port] = nil }
    }

    /// What a socket's core sends through: the segment onto `host`.
    ///
    /// Holds the host unretained: the simulation keeps its hosts, and a socket's driver
    /// already relies on the simulation outliving it (`SimCoreBridge`). Capturing the stack
    /// `unowned` instead cost an atomic check-and-retain of it for every segment sent.
    static func transmitter(for host: Host) -> (consuming Datagram) -> Void {
        { [unowned(unsafe) host] datagram in
            let (source, destination, ecn) = (datagram.source, datagram.destination, datagram.ecn)
            host.sendTCP((consume datagram).payload, from: source, to: destination, ecn: ecn)
        }
    }

    /// The smallest MTU of the interfaces that hold `address` (all interfaces for a
    /// wildcard address): what the MSS of connections accepted on it derives from.
    private func mtu(of address: IPAddress) -> Int {
        host.interfaces
            .filter { interface in address.isUnspecified || interface.addresses.contains { $0.address == address } }
            .compactMap { $0.outbound?.config.mtu }
            .min() ?? Int.max
    }

    private func ephemeralPort() throws(SocketError) -> UInt16 {
        try EphemeralPort.draw(in: host.ephemeralPorts, random: &random) { portUsers[$0] != nil }
    }

    // MARK: HostTCPStack

    public func receive(_ segment: Datagram) {
        let key = TCPConnectionKey(local: segment.destination, remote: segment.source)
        if lastKey == key, let socket = lastSocket {
            socket.deliver(segment)
        } else if let socket = connections[key] {
            lastKey = key
            lastSocket = socket
            socket.deliver(segment)
        } else if let listener = listener(for: segment.destination) {
            listener.deliver(segment)
        } else {
            answerWithReset(segment)
        }
    }

    public func receive(_ error: ICMPUnreachable) {
        guard let socket = connections[TCPConnectionKey(local: error.originalSource, remote: error.originalDestination)] else {
            unmatchedICMP += 1
            return
        }
        socket.unreachable(TCPUnreachable(error.reason), sequenceNumber: error.originalSequenceNumber.map(TCPSequence.init))
    }

    private func listener(for destination: Endpoint) -> TCPListenSocket? {
        guard let bound = listeners[destination.port] else { return nil }
        return IPAddress.bestBinding(among: bound, for: destination.address) { $0.local.address }
    }

    /// RFC 9293 §3.10.7.1: a segment for no connection draws an RST (never an RST for
    /// an RST); one that is not valid TCP is dropped.
    private func answerWithReset(_ datagram: Datagram) {
        guard let segment = try? TCPSegment(decoding: datagram.payload[...], source: datagram.source.address,
                                            destination: datagram.destination.address) else {
            malformedSegments += 1
            return
        }
        guard let reset = TCPSegment.reset(answering: segment) else { return }
        resetsSent += 1
        host.sendTCP(reset.encode(source: datagram.destination.address, destination: datagram.source.address),
                     from: datagram.destination, to: datagram.source)
    }
}

extension TCPUnreachable {
    /// The TCP view of the simulator's ICMP reason.
    init(_ reason: UnreachableReason) {
        switch reason {
        case .hostUnreachable: self = .hostUnreachable
        case .portUnreachable: self = .portUnreachable
        case .administrativelyProhibited: self = .administrativelyProhibited
        }
    }
}
