import NIOCore
import NIOPosix
import NetTypes

/// TCP for a `StreamCore` on the live driver: the byte pipe the `StreamCore` contract asks
/// of a driver, on real sockets, the live twin of `SimStreamTransport`.
///
/// - **Listeners** (`listenStream(on:transport:)`): each accepted connection is announced
///   with `streamOpened` before any of its bytes, so a core that bounds connections per
///   source or closes idle ones sees the connections that never send.
/// - **Outgoing connections**: the first stream `.transmit` between two endpoints the
///   driver has no connection for opens one (an active open from the source's address,
///   an ephemeral port); the core keeps naming it by the `source` it wrote from. Bytes
///   written before the connection is up wait in order.
/// - **Bytes**: reads reach the core as datagrams from the remote to the local endpoint,
///   tagged with the listener's (or the connection's) transport, in whatever pieces the
///   socket gives; writes go out in order and are never dropped.
/// - **Closing**: an empty write closes the connection once the writes before it are on
///   the wire; the core is not told of a close it asked for. Any other end (the peer
///   closed or reset it, it could not be opened, too much waited to be sent) is reported
///   with `streamClosed`, always from a fresh event-loop task, never inside a drain.
/// - **Nagle off** (`TCP_NODELAY`) on every connection, as TURN servers and clients set
///   it (coturn on every TCP socket, libwebrtc's TURN ports): one message per write must
///   not wait for the peer's delayed ACK.
/// - **Backpressure**: NIO keeps what the kernel does not take yet. That queue is bounded
///   per connection by `maxUnsentStreamBytes` (1 MiB): a peer that stops reading
///   while the core keeps writing (a TURN client that does not drain its relayed data)
///   would otherwise grow the server's memory without limit. A connection past the bound
///   is closed and reported (`LiveCounters.streamOverflows`): cutting bytes out of the
///   middle of a stream would corrupt its framing or TLS records, closing it does not.
///
/// Everything runs on the driver's one event loop: accepted and opened channels are
/// created on it, so their handlers and write completions touch the core there too.
extension UDPCoreDriver where Core: StreamCore {
    /// Creates a driver that also carries the core's TCP/TLS streams; call `bind` for UDP
    /// sockets and `listenStream` for listeners before traffic flows. (Chosen over the
    /// plain initializer whenever the core's type is statically a `StreamCore`.)
    public convenience init(core: Core, eventLoop: EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
                            onEvent: @escaping (Core.Event, UDPCoreDriver) -> Void = { _, _ in }) {
        self.init(core: core, eventLoop: eventLoop, streamNotice: { core, notice, now in
            switch notice {
            case .opened(let local, let remote, let transport):
                core.streamOpened(local: local, remote: remote, transport: transport, now: now)
            case .closed(let local, let remote, let transport):
                core.streamClosed(local: local, remote: remote, transport: transport, now: now)
            }
        }, onEvent: onEvent)
    }

    /// Listens for TCP connections on `endpoint` (port 0: an ephemeral port) whose bytes
    /// are `transport` (`.tcp`, or `.tls` when the core speaks TLS on them); returns the
    /// bound endpoint. A port another listening socket holds fails with
    /// `LiveError.cannotBind` (EADDRINUSE). SO_REUSEADDR is set, as TCP servers do: on
    /// Linux it does not let a second socket listen on the port, it only lets a restarted
    /// server listen while connections it closed linger in TIME_WAIT.
    @discardableResult
    public func listenStream(on endpoint: Endpoint, transport: TransportKind) async throws -> Endpoint {
        let address = try endpoint.socketAddress()
        let created = NIOLoopBoundBox.makeEmptyBox(valueType: Channel.self, eventLoop: eventLoop)
        return try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                created.value = channel
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(driver: self, acceptedAs: transport))
                }
            }
            .bind(to: address)
            .flatMapError { [eventLoop] error in
                let failure = LiveError.cannotBind(endpoint, errno: (error as? IOError)?.errnoCode)
                guard let channel = created.value, channel.isActive else { return eventLoop.makeFailedFuture(failure) }
                return channel.close().flatMapThrowing { throw failure }.flatMapErrorThrowing { _ in throw failure }
            }
            .flatMap { [self] channel in
                guard let local = channel.localAddress, let bound = Endpoint(local) else {
                    return channel.close().flatMapThrowing { throw LiveError.cannotBind(endpoint, errno: nil) }
                }
                streams.listeners[bound] = channel
                counters.listeners[ListenerKey(bound, transport)] = ListenerCounters()
                return eventLoop.makeSucceededFuture(bound)
            }
            .get()
    }

}

extension UDPCoreDriver {
    /// Bytes one connection may have waiting to be sent (written by the core, not yet
    /// taken by the kernel) before it is closed: 1 MiB, hundreds of full-size TURN
    /// messages, far more than a peer that reads ever leaves queued.
    public static var maxUnsentStreamBytes: Int { LiveStreams.defaultMaxUnsentBytes }

    /// TCP connections open now (accepted, opened for the core, or still connecting).
    /// Call on the event loop.
    public var openStreams: Int { streams.connections.count }

    /// Connections open now per local endpoint (a listener's accepted ones under its
    /// endpoint). Call on the event loop.
    public var openStreamsByLocal: [Endpoint: Int] {
        streams.connections.keys.reduce(into: [:]) { $0[$1.local, default: 0] += 1 }
    }

    /// Closes the TCP listeners (no new connections; those open stay): the first step of a
    /// graceful shutdown.
    public func stopListeningStreams() async {
        let listeners: [Channel] = (try? await eventLoop.submit { () -> [Channel] in
            defer { self.streams.listeners = [:] }
            return Array(self.streams.listeners.values)
        }.get()) ?? []
        for listener in listeners { try? await listener.close() }
    }

    // MARK: On the event loop

    /// Writes a stream output: to its connection (opened if needed), or closes it when
    /// the payload is empty.
    func streamTransmit(_ datagram: Datagram) {
        let key = LiveStreams.Key(local: datagram.source, remote: datagram.destination)
        // Gone, and the core not told yet: what it writes meanwhile is for that connection,
        // it must not open a new one (a server connecting back to a client).
        guard !streams.ending.contains(key) else { return }
        if datagram.payload.isEmpty {
            guard let connection = streams.connections.removeValue(forKey: key) else { return }
            connection.closeRequested = true
            closeAfterWrites(connection)
            return
        }
        guard let connection = streams.connections[key] ?? connect(key, transport: datagram.transport) else { return }
        guard connection.unsent + datagram.payload.count <= streams.maxUnsentBytes else {
            counters.streamOverflows += 1
            return drop(connection)
        }
        connection.unsent += datagram.payload.count
        let buffer = ByteBuffer(bytes: datagram.payload)
        if let channel = connection.channel { write(buffer, on: connection, channel) } else { connection.queued.append(buffer) }
    }

    /// An active open for the core from `key.local`'s address; a connection that cannot
    /// be opened is reported closed.
    private func connect(_ key: LiveStreams.Key, transport: TransportKind) -> LiveConnection? {
        let connection = LiveConnection(key: key, transport: transport)
        guard let remote = try? key.remote.socketAddress(),
              let local = try? Endpoint(key.local.address, 0).socketAddress() else {
            counters.streamConnectFailures += 1
            reportClosed(connection)
            return nil
        }
        streams.connections[key] = connection
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(driver: self, connection: connection))
                }
            }
            .bind(to: local)
            .connect(to: remote)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    counters.streamsConnected += 1
                    connection.channel = channel
                    for buffer in connection.queued { write(buffer, on: connection, channel) }
                    connection.queued = []
                    if connection.closeRequested { closeAfterWrites(connection) }
                case .failure:
                    counters.streamConnectFailures += 1
                    ended(connection)
                }
            }
        return connection
    }

    private func write(_ buffer: ByteBuffer, on connection: LiveConnection, _ channel: Channel) {
        let count = buffer.readableBytes
        let written = channel.writeAndFlush(buffer)
        connection.lastWrite = written
        written.whenComplete { [self] result in
            connection.unsent -= count
            if case .success = result {
                counters.streamBytesSent += count
                counters.listeners[ListenerKey(connection.key.local, connection.transport)]?.packetsSent += 1
                counters.listeners[ListenerKey(connection.key.local, connection.transport)]?.bytesSent += count
            }
        }
    }

    /// Closes the connection once what was written to it is on the wire (a connection
    /// still connecting does so when it is up).
    private func closeAfterWrites(_ connection: LiveConnection) {
        guard let channel = connection.channel else { return }
        guard let last = connection.lastWrite else { return channel.close(promise: nil) }
        last.whenComplete { _ in channel.close(promise: nil) }
    }

    /// Closes a connection at once, dropping what it had not sent, and reports it.
    private func drop(_ connection: LiveConnection) {
        streams.connections[connection.key] = nil
        connection.queued = []
        connection.channel?.close(promise: nil)
        reportClosed(connection)
    }

    /// A listener accepted `channel`: the core hears of it before its first bytes.
    fileprivate func accepted(_ channel: Channel, transport: TransportKind) -> LiveConnection? {
        guard let localAddress = channel.localAddress, let local = Endpoint(localAddress),
              let remoteAddress = channel.remoteAddress, let remote = Endpoint(remoteAddress) else {
            channel.close(promise: nil)
            return nil
        }
        let connection = LiveConnection(key: LiveStreams.Key(local: local, remote: remote), transport: transport)
        connection.channel = channel
        streams.connections[connection.key] = connection
        counters.streamsAccepted += 1
        counters.listeners[ListenerKey(local, transport)]?.connectionsAccepted += 1
        notify(.opened(local: local, remote: remote, transport: transport))
        return connection
    }

    /// Bytes read from a connection, for the core (unless it closed the connection).
    fileprivate func read(_ buffer: ByteBuffer, from connection: LiveConnection) {
        guard !connection.closeRequested, streams.connections[connection.key] === connection else { return }
        counters.streamBytesReceived += buffer.readableBytes
        counters.listeners[ListenerKey(connection.key.local, connection.transport)]?.packetsReceived += 1
        counters.listeners[ListenerKey(connection.key.local, connection.transport)]?.bytesReceived += buffer.readableBytes
        streamReceived(Datagram(source: connection.key.remote, destination: connection.key.local,
                                transport: connection.transport, payload: Array(buffer.readableBytesView)))
    }

    /// The connection is over: the core hears of it unless it asked for the close (or
    /// already heard, after an overflow).
    fileprivate func ended(_ connection: LiveConnection) {
        guard !connection.closeRequested, streams.connections[connection.key] === connection else { return }
        streams.connections[connection.key] = nil
        reportClosed(connection)
    }

    /// Tells the core from a task of its own, so that no drain is under way; until then
    /// its writes to the connection are discarded.
    private func reportClosed(_ connection: LiveConnection) {
        let key = connection.key, transport = connection.transport
        streams.ending.insert(key)
        eventLoop.execute { [self] in
            streams.ending.remove(key)
            notify(.closed(local: key.local, remote: key.remote, transport: transport))
        }
    }

    /// Hands one connection's bytes and end to the driver.
    private final class StreamHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let driver: UDPCoreDriver
        private var connection: LiveConnection?
        private let acceptedAs: TransportKind?

        /// The handler of a connection a listener accepted.
        init(driver: UDPCoreDriver, acceptedAs transport: TransportKind) {
            self.driver = driver
            acceptedAs = transport
        }

        /// The handler of a connection opened for the core.
        init(driver: UDPCoreDriver, connection: LiveConnection) {
            self.driver = driver
            self.connection = connection
            acceptedAs = nil
        }

        func channelActive(context: ChannelHandlerContext) {
            if let acceptedAs, connection == nil { connection = driver.accepted(context.channel, transport: acceptedAs) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard let connection else { return }
            driver.read(unwrapInboundIn(data), from: connection)
        }

        func channelInactive(context: ChannelHandlerContext) {
            if let connection { driver.ended(connection) }
            context.fireChannelInactive()
        }

        /// A reset or another socket error: the channel closes, `channelInactive` reports it.
        func errorCaught(context: ChannelHandlerContext, error: Error) {
            context.close(promise: nil)
        }
    }
}

/// A connection opened or ended, for a `StreamCore`.
enum StreamNotice {
    case opened(local: Endpoint, remote: Endpoint, transport: TransportKind)
    case closed(local: Endpoint, remote: Endpoint, transport: TransportKind)
}

/// The TCP listeners and connections of a live driver. Touched on the driver's event loop
/// only (hence the unchecked `Sendable`, for the closures NIO runs there).
final class LiveStreams: @unchecked Sendable {
    /// A connection as the core names it: its local endpoint (for connections opened for
    /// the core, the `source` it wrote from) and the remote one.
    struct Key: Hashable {
        var local: Endpoint
        var remote: Endpoint
    }

    /// `UDPCoreDriver.maxUnsentStreamBytes`.
    static let defaultMaxUnsentBytes = 1 << 20

    /// The bound in force (tests lower it).
    var maxUnsentBytes = LiveStreams.defaultMaxUnsentBytes
    var listeners: [Endpoint: Channel] = [:]
    var connections: [Key: LiveConnection] = [:]
    /// Connections that ended and whose core has not been told yet.
    var ending: Set<Key> = []

    /// Forgets every listener and connection; their channels, to close.
    func removeAll() -> [Channel] {
        defer { listeners = [:]; connections = [:] }
        return Array(listeners.values) + connections.values.compactMap(\.channel)
    }
}

/// One TCP connection of a live driver (event loop only).
final class LiveConnection: @unchecked Sendable {
    let key: LiveStreams.Key
    let transport: TransportKind
    /// nil while an outgoing connection is being opened.
    var channel: Channel?
    /// Writes made before the connection was up, in order.
    var queued: [ByteBuffer] = []
    /// Bytes written by the core and not yet taken by the kernel.
    var unsent = 0
    /// The last write, after which a requested close happens.
    var lastWrite: EventLoopFuture<Void>?
    /// The core asked for the close (it is not told of the end).
    var closeRequested = false

    init(key: LiveStreams.Key, transport: TransportKind) {
        self.key = key
        self.transport = transport
    }
}
