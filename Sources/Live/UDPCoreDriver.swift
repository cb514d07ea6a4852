import Foundation
import NIOCore
import NIOPosix
import NetTypes

/// Runs a sans-IO core on real sockets: the live twin of the simulator's drivers.
///
/// The driver binds one UDP socket per local endpoint, feeds every received datagram to
/// the core with the monotonic time, drains the core's outputs (sending each `.transmit`
/// from the socket whose address is the datagram's source), and arms an event-loop timer
/// for the core's deadline. A `StreamCore` also gets TCP (`UDPCoreDriver+Streams.swift`):
/// listeners, connections opened on its stream writes, and the `StreamCore` byte pipe.
/// All core access happens on one event loop, which is what makes the unchecked
/// `Sendable` conformance sound.
public final class UDPCoreDriver<Core: SansIOCore>: @unchecked Sendable {
    public let eventLoop: EventLoop
    /// Local endpoints actually bound (ephemeral ports resolved).
    public private(set) var localEndpoints: [Endpoint] = []
    /// Datagrams received, sent, and outputs that named a source the driver has no socket for.
    public internal(set) var counters = LiveCounters()

    var core: Core
    private var channels: [Endpoint: Channel] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: Instant = .distantFuture
    private var loop = CoreDrain()
    private let onEvent: (Core.Event, UDPCoreDriver) -> Void
    /// The TCP listeners and connections (used by `StreamCore`s only).
    let streams = LiveStreams()
    /// Tells the core of a connection opened or ended; nil for cores that are not a
    /// `StreamCore`, whose stream outputs are then unroutable.
    let streamNotice: ((inout Core, StreamNotice, Instant) -> Void)?

    /// Creates a driver; call `bind` before traffic flows. (A `StreamCore` gets the
    /// initializer of the same shape in `UDPCoreDriver+Streams.swift`, which adds TCP.)
    public convenience init(core: Core, eventLoop: EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
                            onEvent: @escaping (Core.Event, UDPCoreDriver) -> Void = { _, _ in }) {
        self.init(core: core, eventLoop: eventLoop, streamNotice: nil, onEvent: onEvent)
    }

    init(core: Core, eventLoop: EventLoop, streamNotice: ((inout Core, StreamNotice, Instant) -> Void)?,
         onEvent: @escaping (Core.Event, UDPCoreDriver) -> Void) {
        self.core = core
        self.eventLoop = eventLoop
        self.streamNotice = streamNotice
        self.onEvent = onEvent
    }

    /// Binds a UDP socket on `endpoint` (port 0: an ephemeral port) and returns the bound
    /// endpoint; throws `LiveError.cannotBind` when another socket holds it (see `open`).
    @discardableResult
    public func bind(_ endpoint: Endpoint) async throws -> Endpoint {
        try await open(endpoint).get()
    }

    /// Binds every endpoint or none: on a failure the driver closes what it bound and
    /// rethrows. These are the driver's UDP listeners (`LiveCounters.listeners`).
    public func bindAll(_ endpoints: [Endpoint]) async throws {
        do {
            for endpoint in endpoints {
                let bound = try await bind(endpoint)
                try await eventLoop.submit { self.counters.listeners[ListenerKey(bound, .udp)] = ListenerCounters() }.get()
            }
        } catch {
            await close()
            throw error
        }
    }

    /// Binds a UDP socket on `endpoint` from any thread, including the event loop (where a
    /// core's events are handled): how cores that open endpoints at run time (a TURN
    /// server's relayed addresses) get their sockets.
    ///
    /// Never with SO_REUSEADDR or SO_REUSEPORT: with them a second socket could bind the
    /// same address and port and take its datagrams, so a taken endpoint fails with
    /// `LiveError.cannotBind` (errno EADDRINUSE). A socket whose bind failed is closed.
    public func open(_ endpoint: Endpoint) -> EventLoopFuture<Endpoint> {
        let address: SocketAddress
        do { address = try endpoint.socketAddress() } catch { return eventLoop.makeFailedFuture(error) }
        // DatagramBootstrap leaves the channel of a failed bind open (its descriptor would
        // leak): keep it to close it.
        let created = NIOLoopBoundBox.makeEmptyBox(valueType: Channel.self, eventLoop: eventLoop)
        return DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 0)
            .channelInitializer { [self] channel in
                created.value = channel
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboundHandler(driver: self))
                }
            }
            .bind(to: address)
            .flatMapError { [eventLoop] error in
                let failure = LiveError.cannotBind(endpoint, errno: (error as? IOError)?.errnoCode)
                guard let channel = created.value else { return eventLoop.makeFailedFuture(failure) }
                return channel.close().flatMapThrowing { throw failure }.flatMapErrorThrowing { _ in throw failure }
            }
            .flatMap { [self] channel in
                guard let local = channel.localAddress, let bound = Endpoint(local) else {
                    return channel.close().flatMapThrowing { throw LiveError.cannotBind(endpoint, errno: nil) }
                }
                channels[bound] = channel
                localEndpoints.append(bound)
                return eventLoop.makeSucceededFuture(bound)
            }
    }

    /// Closes the socket bound on `endpoint`, if any (call on the event loop, e.g. from
    /// `onEvent`).
    public func closeSocket(_ endpoint: Endpoint) {
        guard let channel = channels.removeValue(forKey: endpoint) else { return }
        localEndpoints.removeAll { $0 == endpoint }
        channel.close(promise: nil)
    }

    /// How many sockets are open.
    public var openSockets: Int { channels.count }

    /// Runs `body` on the core (on the event loop) with the current time, then drains.
    public func withCore<T: Sendable>(_ body: @escaping @Sendable (inout Core, Instant) -> T) -> EventLoopFuture<T> {
        eventLoop.submit {
            let result = body(&self.core, self.loop.now(.liveNow))
            self.drain()
            return result
        }
    }

    /// Closes every socket (UDP sockets, TCP listeners and connections, without telling
    /// the core) and cancels the timer.
    public func close() async {
        let all: [Channel] = (try? await eventLoop.submit {
            self.timer?.cancel()
            self.timer = nil
            let channels = Array(self.channels.values) + self.streams.removeAll()
            self.channels.removeAll()
            return channels
        }.get()) ?? []
        for channel in all { try? await channel.close() }
    }

    // MARK: On the event loop

    fileprivate func received(_ payload: [UInt8], from source: Endpoint, to local: Endpoint) {
        counters.received += 1
        if let index = counters.listeners.index(forKey: ListenerKey(local, .udp)) {
            counters.listeners.values[index].packetsReceived += 1
            counters.listeners.values[index].bytesReceived += payload.count
        }
        core.handle(Datagram(source: source, destination: local, transport: .udp, payload: payload), now: loop.now(.liveNow))
        drain()
    }

    /// Feeds the core bytes read from a connection, then drains.
    func streamReceived(_ datagram: Datagram) {
        core.handle(datagram, now: loop.now(.liveNow))
        drain()
    }

    /// Tells the core of a connection opened or ended, then drains.
    func notify(_ notice: StreamNotice) {
        streamNotice?(&core, notice, loop.now(.liveNow))
        drain()
    }

    private func timerFired() {
        timer = nil
        timerDeadline = .distantFuture
        core.handleTimeout(now: loop.now(.liveNow))
        drain()
    }

    func drain() {
        arm(loop.run(poll: { core.pollOutput() }, transmit: send, event: { onEvent($0, self) }))
    }

    private func send(_ datagram: Datagram) {
        if datagram.transport.isReliable {
            guard streamNotice != nil else { counters.unroutable += 1; return }
            return streamTransmit(datagram)
        }
        guard let channel = channels[datagram.source] ?? wildcardChannel(for: datagram.source),
              let remote = try? datagram.destination.socketAddress() else {
            counters.unroutable += 1
            return
        }
        var buffer = channel.allocator.buffer(capacity: datagram.payload.count)
        buffer.writeBytes(datagram.payload)
        counters.sent += 1
        if let index = counters.listeners.index(forKey: ListenerKey(datagram.source, .udp)) {
            counters.listeners.values[index].packetsSent += 1
            counters.listeners.values[index].bytesSent += datagram.payload.count
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    /// A socket bound to the unspecified address and the same port serves any source.
    private func wildcardChannel(for source: Endpoint) -> Channel? {
        channels.first { $0.key.port == source.port && $0.key.address.isUnspecified }?.value
    }

    private func arm(_ deadline: Instant) {
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        guard deadline != .distantFuture else { timer = nil; return }
        timer = eventLoop.scheduleTask(deadline: deadline.nioDeadline) { [weak self] in self?.timerFired() }
    }

    /// Hands datagrams of one socket to the driver.
    private final class InboundHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        private let driver: UDPCoreDriver
        private var local: Endpoint?

        init(driver: UDPCoreDriver) { self.driver = driver }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            if local == nil, let address = context.channel.localAddress { local = Endpoint(address) }
            guard let source = Endpoint(envelope.remoteAddress), var destination = local else { return }
            if destination.address.isUnspecified, let info = envelope.metadata?.packetInfo,
               let actual = Endpoint(info.destinationAddress) {
                destination.address = actual.address
            }
            var buffer = envelope.data
            let payload = buffer.readBytes(length: buffer.readableBytes) ?? []
            driver.received(payload, from: source, to: destination)
        }
    }
}

/// Counters of a live driver.
public struct LiveCounters: Sendable {
    /// UDP datagrams received and sent.
    public var received = 0
    public var sent = 0
    /// Outputs whose source address no socket of the driver is bound to (and stream
    /// outputs of a core that is not a `StreamCore`).
    public var unroutable = 0
    /// TCP connections accepted by listeners, opened for the core, and that could not be
    /// opened.
    public var streamsAccepted = 0
    public var streamsConnected = 0
    public var streamConnectFailures = 0
    /// Connections closed because more than `maxUnsentStreamBytes` waited to be sent.
    public var streamOverflows = 0
    /// Stream bytes read from and written to connections.
    public var streamBytesReceived = 0
    public var streamBytesSent = 0
    /// Per listening endpoint (UDP sockets of `bindAll`, TCP listeners of `listenStream`).
    public var listeners: [ListenerKey: ListenerCounters] = [:]
}

/// Errors of the live layer.
public enum LiveError: Error, CustomStringConvertible {
    /// No socket (UDP, or a TCP listener) could be bound on the endpoint; `errno` says why when the system did
    /// (EADDRINUSE: another socket holds it, EMFILE: out of descriptors).
    case cannotBind(Endpoint, errno: Int32?)
    case noRoute(Endpoint)

    /// Whether another socket holds the endpoint.
    public var isAddressInUse: Bool {
        if case .cannotBind(_, EADDRINUSE) = self { return true }
        return false
    }

    /// Why, in the system's words: "address already in use".
    public var reason: String {
        switch self {
        case .cannotBind(_, let code?):
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        case .cannotBind: return "no usable local address"
        case .noRoute: return "no route"
        }
    }

    public var description: String {
        switch self {
        case .cannotBind(let e, _): return "cannot bind a socket on \(e): \(reason)"
        case .noRoute(let e): return "no local address routes to \(e)"
        }
    }
}
