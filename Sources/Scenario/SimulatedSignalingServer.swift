import NetTypes
import Signaling
import SimulatedTCP
import Simulator
import WebSocket

/// A `kind: signaling` server node: the rooms of `icelab signal-server` (`SignalingRooms`)
/// behind WebSocket endpoints on simulated TCP connections. Every client connection gets
/// a server `WebSocketEndpoint`; its text messages go to the rooms, whose outputs go back
/// out as text frames or closes. Nothing here models delay or loss: the bytes cross the
/// scenario's links, NATs and firewalls like any other TCP traffic.
final class SimulatedSignalingServer {
    /// One client's connection.
    private final class Connection {
        let socket: TCPSocket
        var endpoint: WebSocketEndpoint
        /// Set once the WebSocket is open (the rooms only see WebSocket clients).
        var client: SignalingClientID?

        init(socket: TCPSocket, maximumMessage: Int) {
            self.socket = socket
            endpoint = WebSocketEndpoint(serverWithMaximumMessage: maximumMessage)
        }
    }

    private let simulation: Simulation
    private let listener: TCPListenSocket
    private var rooms: SignalingRooms
    private var clients: [SignalingClientID: Connection] = [:]
    /// Connections accepted and not yet ended, by their remote endpoint (their sockets'
    /// handlers hold them unowned).
    private var connections: [Endpoint: Connection] = [:]

    /// Listens on TCP `port` of `host` (installing the host's TCP stack if it has none).
    init(on host: Host, port: UInt16, limits: SignalingLimits = SignalingLimits()) throws(SocketError) {
        simulation = host.simulation
        rooms = SignalingRooms(limits: limits)
        let stack = (host.tcp as? TCPStack) ?? TCPStack.install(on: host)
        listener = try stack.listen(port: port)
        listener.onConnection = { [unowned self] socket in accept(socket) }
    }

    private func accept(_ socket: TCPSocket) {
        let connection = Connection(socket: socket, maximumMessage: rooms.limits.maxMessageBytes)
        connections[socket.remote] = connection
        socket.onEvent = { [unowned self, unowned connection] event, socket in
            switch event {
            case .dataReceived:
                connection.endpoint.receive(socket.receive())
                drain(connection)
            case .peerClosed:
                socket.close()
                end(connection)
            case .closed, .reset, .error:
                end(connection)
                connections[socket.remote] = nil
            case .connected:
                break
            }
        }
        if socket.readableBytes > 0 {
            connection.endpoint.receive(socket.receive())
            drain(connection)
        }
    }

    /// Carries out what the connection's endpoint asks, then what the rooms ask.
    private func drain(_ connection: Connection) {
        while let output = connection.endpoint.poll() {
            switch output {
            case .transmit(let bytes):
                // A full send buffer (4 MiB by default) means the client does not read.
                if connection.socket.send(bytes) < bytes.count, let client = connection.client {
                    rooms.refuse(client, .slowReader)
                }
            case .event(.open):
                let client = rooms.connect(now: simulation.now)
                connection.client = client
                clients[client] = connection
            case .event(.message(.text(let text))):
                if let client = connection.client { rooms.receive(text: Array(text.utf8), from: client, now: simulation.now) }
            case .event(.message(.binary)):
                if let client = connection.client { rooms.receiveBinary(from: client) }
            case .event(.message(.ping)), .event(.message(.pong)), .event(.message(.close)):
                break
            case .event(.closed), .event(.failed):
                end(connection)
            case .closeConnection:
                connection.socket.close()
            }
        }
        while let output = rooms.poll() {
            switch output {
            case .send(let client, let text):
                guard let target = clients[client] else { continue }
                target.endpoint.send(text: text)
                drain(target)
            case .close(let client, let refusal):
                guard let target = clients.removeValue(forKey: client) else { continue }
                target.endpoint.close(code: refusal.closeCode, reason: refusal.description)
                drain(target)
            }
        }
    }

    /// The client is gone: out of its room (its peers hear `peer-left`).
    private func end(_ connection: Connection) {
        guard let client = connection.client else { return }
        connection.client = nil
        clients[client] = nil
        rooms.disconnect(client)
        drain(connection)
    }
}
