import NetTypes
import Simulator
import TCP

/// A TCP connection on a simulated host: a `TCPConnection` core driven in virtual time,
/// with the calls of a socket API.
///
/// Events reach `onEvent` as the core reports them (`.connected`, `.dataReceived`,
/// `.peerClosed`, and one of `.closed`, `.reset`, `.error` at the end, after which the
/// stack forgets the socket and its port is free again). Data waits in the connection
/// until `receive`; reading opens the receive window.
public final class TCPSocket {
    public unowned let stack: TCPStack
    public let local: Endpoint
    public let remote: Endpoint
    /// Called for every event of the connection, with the socket.
    public var onEvent: ((TCPEvent, TCPSocket) -> Void)?
    /// Set once by `init` (which needs `self` for the event closure, hence the optional)
    /// and kept as long as the socket: `withBridge` calls it without retaining it.
    private var bridge: SimCoreBridge<TCPConnection>!

    init(stack: TCPStack, core: TCPConnection) {
        self.stack = stack
        local = core.local
        remote = core.remote
        bridge = SimCoreBridge(simulation: stack.host.simulation, core: core,
                               onTransmit: TCPStack.transmitter(for: stack.host),
                               onEvent: { [unowned self] event in self.report(event) })
    }

    /// The connection's state, statistics, congestion controller and RTT estimate.
    public var connection: TCPConnection { bridge.core }
    public var state: TCPState { bridge.core.state }
    /// Octets received in order and not yet read.
    public var readableBytes: Int { bridge.core.readableBytes }

    /// Queues `bytes` for sending; returns how many the send buffer took.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Int {
        withBridge { $0.withCore { connection, now in connection.send(bytes, now: now) } }
    }

    /// Reads up to `maxBytes` received octets.
    public func receive(maxBytes: Int = .max) -> [UInt8] {
        withBridge { $0.withCore { connection, now in connection.receive(maxBytes: maxBytes, now: now) } }
    }

    /// Closes the sending direction: FIN after the queued data.
    public func close() {
        bridge.withCore { connection, now in connection.close(now: now) }
    }

    /// Aborts the connection with an RST.
    public func abort() {
        bridge.withCore { connection, now in connection.abort(now: now) }
    }

    /// Runs `body` on the core at the current virtual time, then drains its outputs.
    func withConnection(_ body: (inout TCPConnection, Instant) -> Void) {
        bridge.withCore(body)
    }

    func deliver(_ segment: Datagram) { withBridge { $0.deliver(segment) } }

    /// Runs `body` with the bridge, unretained: the socket holds it for its whole life
    /// and never replaces it, so the caller's hold on the socket keeps it alive. (Loaded
    /// from the optional property, it was retained and released around every segment.)
    @inline(__always)
    private func withBridge<R>(_ body: (SimCoreBridge<TCPConnection>) -> R) -> R {
        Unmanaged.passUnretained(bridge)._withUnsafeGuaranteedRef(body)
    }

    func unreachable(_ error: TCPUnreachable, sequenceNumber: TCPSequence?) {
        bridge.withCore { connection, now in connection.handleUnreachable(error, sequenceNumber: sequenceNumber, now: now) }
    }

    private func report(_ event: TCPEvent) {
        switch event {
        case .closed, .reset, .error: stack.unregister(self)
        case .connected, .dataReceived, .peerClosed: break
        }
        onEvent?(event, self)
    }
}
