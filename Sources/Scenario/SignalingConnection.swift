import NetTypes
import Signaling
import SimulatedTCP
import Simulator
import TCP
import WebSocket

/// One side's connection to its session's signaling server node, as a browser app's:
/// a TCP connection from the side's host (through its NATs and firewalls), the WebSocket
/// handshake (RFC 6455 §4), `join` of the session's room, then offers, answers and
/// candidates as the JSON messages `icelab signal-server` relays. Messages the app sends
/// before the peer is in the room wait, as apps wait for `peer-joined` before offering.
/// A connection that fails (refused, timed out, closed by the server) fails signaling:
/// `onFailure` gets the reason, and nothing queued is sent.
final class SignalingConnection {
    enum Phase: Equatable {
        case connecting, handshaking, joining, waitingForPeer, ready, failed
    }

    private(set) var phase = Phase.connecting
    private var socket: TCPSocket?
    private var endpoint: WebSocketEndpoint
    private let room: String
    private var waiting: [SignalingPeerMessage] = []
    /// Messages that never left because the connection failed.
    private(set) var lost = 0
    /// A message from the peer (relayed by the server).
    var onMessage: ((SignalingPeerMessage) -> Void)?
    /// Progress worth a line in the event log.
    var onProgress: ((String) -> Void)?
    /// Why signaling failed; called once.
    var onFailure: ((String) -> Void)?

    /// Connects from `host` to `server` (`serverName` for the Host field) now.
    init(from host: Host, to server: Endpoint, serverName: String, room: String, rng: Xoshiro256) {
        self.room = room
        endpoint = WebSocketEndpoint(clientOf: serverName, path: "/ws", maximumMessage: SignalingLimits().maxMessageBytes, rng: rng)
        let stack = (host.tcp as? TCPStack) ?? TCPStack.install(on: host)
        do {
            socket = try stack.connect(to: server) { [unowned self] event, socket in handle(event, socket) }
        } catch {
            fail("cannot open a TCP connection to \(serverName) (\(server)): \(error)")
        }
    }

    /// Sends `message` once the peer is in the room (at once when it is).
    func send(_ message: SignalingPeerMessage) {
        switch phase {
        case .ready:
            endpoint.send(text: message.json)
            drain()
        case .failed:
            lost += 1
        case .connecting, .handshaking, .joining, .waitingForPeer:
            waiting.append(message)
        }
    }

    /// The run is over: a connection that never got as far as the room is a failure
    /// (a SYN still retrying, a handshake still waiting).
    func endOfRun() {
        switch phase {
        case .connecting: fail("TCP connection to the signaling server not established")
        case .handshaking: fail("WebSocket handshake with the signaling server not completed")
        case .joining: fail("not joined to room '\(room)'")
        case .waitingForPeer, .ready, .failed: break
        }

    }

    private func handle(_ event: TCPEvent, _ socket: TCPSocket) {
        switch event {
        case .connected:
            phase = .handshaking
            onProgress?("TCP connected to \(socket.remote) from \(socket.local)")
            drain()
        case .dataReceived:
            endpoint.receive(socket.receive())
            drain()
        case .peerClosed:
            fail("the signaling server closed the connection")
        case .reset:
            fail("TCP connection to the signaling server reset")
        case .error(let error):
            fail("TCP connection to the signaling server failed: \(error)")
        case .closed:
            if phase != .failed { fail("TCP connection to the signaling server closed") }
        }
    }

    private func drain() {
        while let output = endpoint.poll() {
            switch output {
            case .transmit(let bytes):
                guard let socket, socket.send(bytes) == bytes.count else { return fail("the TCP send buffer is full") }
            case .event(.open):
                phase = .joining
                endpoint.send(text: SignalingPeerMessage.join(room: room).json)
            case .event(.message(.text(let text))):
                receive(text)
            case .event(.message):
                break
            case .event(.closed(let code, let reason)):
                fail("the signaling server closed the WebSocket (\(code) \(reason))")
            case .event(.failed(let error)):
                fail("WebSocket failed: \(error)")
            case .closeConnection:
                socket?.close()
            }
        }
    }

    private func receive(_ text: String) {
        let message: SignalingPeerMessage
        do { message = try SignalingPeerMessage(parsing: text) } catch {
            onProgress?("message from the signaling server ignored: \(error)")
            return
        }
        switch message {
        case .joined(_, let peers):
            onProgress?("joined room '\(room)' (\(peers) other member\(peers == 1 ? "" : "s"))")
            peers > 0 ? becomeReady() : (phase = .waitingForPeer)
        case .peerJoined:
            onProgress?("peer joined room '\(room)'")
            becomeReady()
        case .error(let reason):
            fail("the signaling server refused: \(reason)")
        case .peerLeft, .bye:
            onProgress?("peer left room '\(room)'")
        case .offer, .answer, .candidate, .join:
            onMessage?(message)
        }
    }

    private func becomeReady() {
        guard phase != .ready, phase != .failed else { return }
        phase = .ready
        let queued = waiting
        waiting = []
        for message in queued { endpoint.send(text: message.json) }
        drain()
    }

    private func fail(_ reason: String) {
        guard phase != .failed else { return }
        phase = .failed
        lost += waiting.count
        waiting = []
        onFailure?(reason)
        socket?.abort()
    }
}
