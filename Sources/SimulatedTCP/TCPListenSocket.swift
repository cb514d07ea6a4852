import NetTypes
import Simulator
import TCP

/// A listening TCP socket on a simulated host: a `TCPListener` core driven in virtual
/// time.
///
/// Connections whose handshake completed are handed to `onConnection` at once when it is
/// set (an application that always calls accept); otherwise they wait, up to the
/// backlog, for `accept()`. An accepted connection is registered with the stack and
/// driven by its own `TCPSocket`; data that arrived before the accept is waiting in it
/// (`readableBytes`).
public final class TCPListenSocket {
    public unowned let stack: TCPStack
    public let local: Endpoint
    /// Called with each new connection; nil leaves them to `accept()`.
    public var onConnection: ((TCPSocket) -> Void)?
    /// Called when a SYN is dropped because a queue is full.
    public var onSYNDropped: ((Endpoint) -> Void)?
    public private(set) var isOpen = true
    private var bridge: SimCoreBridge<TCPListener>!

    init(stack: TCPStack, core: TCPListener) {
        self.stack = stack
        local = core.local
        bridge = SimCoreBridge(simulation: stack.host.simulation, core: core,
                               onTransmit: TCPStack.transmitter(for: stack.host),
                               onEvent: { [unowned self] event in self.report(event) })
    }

    /// The listener core: its queues and counters.
    public var listener: TCPListener { bridge.core }

    /// The oldest connection whose handshake completed, now driven by its own socket.
    public func accept() -> TCPSocket? {
        guard let connection = bridge.withCore({ listener, _ in listener.accept() }) else { return nil }
        let socket = stack.register(connection)
        socket.withConnection { _, _ in }  // arms the timers the connection has running
        return socket
    }

    /// Stops listening: connections not yet accepted are aborted (RST), as close(2) on a
    /// listening socket does.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        while let socket = accept() { socket.abort() }
        stack.unregister(self)
    }

    func deliver(_ segment: Datagram) { bridge.deliver(segment) }

    private func report(_ event: TCPListenerEvent) {
        switch event {
        case .connectionReady:
            guard let onConnection, let socket = accept() else { return }
            onConnection(socket)
        case .synDropped(let remote):
            onSYNDropped?(remote)
        }
    }
}
