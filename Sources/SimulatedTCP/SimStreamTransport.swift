import NetTypes
import Simulator
import TCP

/// The TCP connections of a `StreamCore` on a simulated host: the byte pipe the
/// `StreamCore` contract asks of a driver, over the host's simulated TCP.
///
/// Attached to the core's `SimCoreDriver`, it listens where told (`listen(on:transport:)`:
/// accepted connections are announced with `streamOpened`), opens a connection on the
/// first stream `.transmit` between two endpoints it has none for (from the source's
/// address and an ephemeral port, or from the source itself when it is a port bound with
/// `bind(_:)`: a simultaneous open), writes stream bytes in order, hands bytes read to the
/// core tagged with the connection's transport, closes on an empty write, and reports
/// every connection that ends (closed, reset, refused, timed out) with `streamClosed`.
///
/// Connections run with Nagle off (`TCP_NODELAY`), as TURN servers and clients set it
/// (coturn on every TCP socket, libwebrtc's TURN ports): one message per write must not
/// wait for the peer's delayed ACK.
///
/// A connection whose send buffer is full keeps the rest of a write in a backlog that
/// goes first, retried with the next write or after `backlogRetry`: stream bytes are
/// never dropped (a TLS record or a framed message cut short would end the stream).
public final class SimStreamTransport<Core: StreamCore> {
    /// How soon a connection with a backlog tries again without a new write.
    public static var backlogRetry: Duration { .milliseconds(10) }

    private unowned let driver: SimCoreDriver<Core>
    /// The host's TCP stack (installed if the host had none).
    public let stack: TCPStack
    private var connections: [Key: Connection] = [:]
    private var listeners: [TCPListenSocket] = []
    /// Ports bound with `bind(_:)`: connections to open from them leave from them.
    private var bound: Set<Endpoint> = []

    /// A connection as the core names it: its local endpoint (for connections opened for
    /// the core, the `source` it wrote from) and the remote one.
    private struct Key: Hashable {
        var local: Endpoint
        var remote: Endpoint
    }

    private final class Connection {
        let socket: TCPSocket
        let key: Key
        let transport: TransportKind
        var backlog: [UInt8] = []
        var retryScheduled = false
        var closeRequested = false

        init(socket: TCPSocket, key: Key, transport: TransportKind) {
            self.socket = socket
            self.key = key
            self.transport = transport
        }
    }

    /// Connections open now.
    public var connectionCount: Int { connections.count }

    /// Attaches to `driver`: its stream outputs go to TCP from now on. The driver keeps
    /// the transport alive.
    public init(driver: SimCoreDriver<Core>) {
        self.driver = driver
        stack = (driver.host.tcp as? TCPStack) ?? TCPStack.install(on: driver.host)
        driver.onStreamTransmit = { [self] datagram in transmit(datagram) }
    }

    /// Accepts connections on `endpoint` (port 0: an ephemeral port); what they carry is
    /// `transport` (`.tcp`, `.tls`). Returns the endpoint listened on.
    @discardableResult
    public func listen(on endpoint: Endpoint, transport: TransportKind) throws(SocketError) -> Endpoint {
        let listener = try stack.listen(address: endpoint.address, port: endpoint.port, configuration: noDelay)
        listener.onConnection = { [weak self] socket in
            guard let self else { return socket.abort() }
            let connection = Connection(socket: socket, key: Key(local: socket.local, remote: socket.remote), transport: transport)
            adopt(connection)
            driver.withCore { core, now in core.streamOpened(local: socket.local, remote: socket.remote, transport: transport, now: now) }
            read(connection)
        }
        listeners.append(listener)
        return listener.local
    }

    /// Binds `endpoint` without listening (port 0: an ephemeral port): a stream the core
    /// writes from it opens a connection from this very port (RFC 6544 simultaneous-open
    /// candidates; the peer connects toward it at about the same time). Returns the
    /// endpoint bound.
    @discardableResult
    public func bind(_ endpoint: Endpoint) throws(SocketError) -> Endpoint {
        let local = try stack.bind(address: endpoint.address, port: endpoint.port)
        bound.insert(local)
        return local
    }

    /// The stack's configuration with Nagle off.
    private var noDelay: TCPConfiguration {
        var configuration = stack.configuration
        configuration.nagle = false
        return configuration
    }

    // MARK: Writing

    private func transmit(_ datagram: Datagram) {
        let key = Key(local: datagram.source, remote: datagram.destination)
        if datagram.payload.isEmpty {
            guard let connection = connections.removeValue(forKey: key) else { return }
            connection.closeRequested = true
            if connection.backlog.isEmpty { connection.socket.close() }
            return
        }
        guard let connection = connections[key] ?? open(key, transport: datagram.transport) else { return }
        if connection.backlog.isEmpty {
            let taken = connection.socket.send(datagram.payload)
            if taken < datagram.payload.count { connection.backlog = Array(datagram.payload[taken...]) }
        } else {
            connection.backlog += datagram.payload
            flush(connection)
        }
        scheduleRetry(connection)
    }

    /// An active open for the core (from the bound port itself when the source is one); a
    /// failure to open is reported as a closed stream.
    private func open(_ key: Key, transport: TransportKind) -> Connection? {
        do throws(SocketError) {
            let from = bound.contains(key.local) ? key.local : Endpoint(key.local.address, 0)
            let socket = try stack.connect(to: key.remote, from: from, configuration: noDelay)
            let connection = Connection(socket: socket, key: key, transport: transport)
            adopt(connection)
            return connection
        } catch {
            driver.host.simulation.schedule(after: .zero) { [weak self] _ in
                self?.driver.withCore { core, now in core.streamClosed(local: key.local, remote: key.remote, transport: transport, now: now) }
            }
            return nil
        }
    }

    private func flush(_ connection: Connection) {
        guard !connection.backlog.isEmpty else { return }
        let taken = connection.socket.send(connection.backlog)
        connection.backlog.removeFirst(taken)
        if connection.backlog.isEmpty && connection.closeRequested { connection.socket.close() }
    }

    private func scheduleRetry(_ connection: Connection) {
        guard !connection.backlog.isEmpty, !connection.retryScheduled else { return }
        connection.retryScheduled = true
        driver.host.simulation.schedule(after: Self.backlogRetry) { [weak self, connection] _ in
            connection.retryScheduled = false
            guard self != nil, connection.socket.state != .closed else { return }
            self?.flush(connection)
            self?.scheduleRetry(connection)
        }
    }

    // MARK: Reading and endings

    /// Tracks a connection. Its socket's handler holds the connection until the socket's
    /// last event (then lets go of it, which breaks the cycle), so a connection the core
    /// closed still sees its end.
    private func adopt(_ connection: Connection) {
        connections[connection.key] = connection
        connection.socket.onEvent = { [weak self, connection] event, socket in
            switch event {
            case .connected, .dataReceived:
                self?.read(connection)
            case .peerClosed:
                self?.read(connection)
                socket.close()
                self?.ended(connection)
            case .closed, .reset, .error:
                socket.onEvent = nil
                self?.ended(connection)
            }
        }
    }

    private func read(_ connection: Connection) {
        guard !connection.closeRequested, connection.socket.readableBytes > 0 else { return }
        let bytes = connection.socket.receive()
        driver.deliver(Datagram(source: connection.key.remote, destination: connection.key.local,
                                transport: connection.transport, payload: bytes))
    }

    /// The connection is over: the core hears of it unless it asked for the close.
    private func ended(_ connection: Connection) {
        guard !connection.closeRequested, connections[connection.key] === connection else { return }
        connections[connection.key] = nil
        let key = connection.key, transport = connection.transport
        driver.withCore { core, now in core.streamClosed(local: key.local, remote: key.remote, transport: transport, now: now) }
    }
}
