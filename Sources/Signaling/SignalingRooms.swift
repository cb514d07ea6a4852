import NetTypes
import TURN

/// One client connection of the signaling server, numbered by the server in order of arrival.
public struct SignalingClientID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}

/// What the rooms ask their driver to do.
public enum SignalingOutput: Hashable, Sendable {
    /// Send this JSON text to the client (one WebSocket text message).
    case send(SignalingClientID, String)
    /// Close the client's connection with the refusal's code and reason (its error
    /// message was queued just before). The client is already gone from its room.
    case close(SignalingClientID, SignalingRefusal)
}

/// What the server has done so far, for metrics and its stop line.
public struct SignalingCounters: Sendable, Hashable {
    /// Clients connected now.
    public var clients = 0
    /// Clients that ever connected.
    public var clientsTotal = 0
    /// Rooms open now.
    public var rooms = 0
    /// Messages relayed to another member (one per recipient).
    public var relayed = 0
    /// Clients closed for bad input, by `SignalingRefusal.label`.
    public var refused: [String: Int] = [:]
}

/// The signaling server's rooms as a sans-IO state machine (docs/signaling.md): clients
/// connect, send JSON text and disconnect; the rooms check each message (`SignalingMessage`,
/// `SignalingLimits`), keep membership, and queue what to send and whom to close, drained
/// with `poll()` after every input. No sockets or clocks: `now` comes in (it feeds each
/// client's rate limit), so the WebSocket glue stays thin and this is tested without it.
///
/// A refused client is removed at once (its room's others get `peer-left`), so nothing it
/// sends later has any effect; other rooms are never touched by a client's input.
public struct SignalingRooms: Sendable {
    public let limits: SignalingLimits
    public private(set) var counters = SignalingCounters()

    private struct Client {
        var room: String?
        var bucket: TokenBucket
    }
    private var clients: [SignalingClientID: Client] = [:]
    /// Members of each open room, in order of joining.
    private var rooms: [String: [SignalingClientID]] = [:]
    private var nextID: UInt64 = 1
    private var outputs: [SignalingOutput] = []
    private var outputHead = 0

    public init(limits: SignalingLimits = SignalingLimits()) { self.limits = limits }

    /// A new connection: its id. Beyond `maxClients` it is closed at once (`tooManyClients`).
    public mutating func connect(now: Instant) -> SignalingClientID {
        let id = SignalingClientID(nextID)
        nextID += 1
        counters.clientsTotal += 1
        clients[id] = Client(room: nil, bucket: TokenBucket(bytesPerSecond: limits.messagesPerSecond, burst: limits.messageBurst, now: now))
        counters.clients = clients.count
        if clients.count > limits.maxClients { refuse(id, .tooManyClients) }
        return id
    }

    /// A text message from `client`: relayed, answered, or the client refused.
    public mutating func receive(text: [UInt8], from client: SignalingClientID, now: Instant) {
        guard clients[client] != nil else { return }
        guard clients[client]!.bucket.take(1, now: now) else { return refuse(client, .rateLimited) }
        guard text.count <= limits.maxMessageBytes else { return refuse(client, .tooLarge(text.count)) }
        let message: SignalingMessage
        do { message = try SignalingMessage(parsing: text, limits: limits) } catch { return refuse(client, error) }
        switch message {
        case .join(let room):
            join(client, room)
        case .offer, .answer, .candidate, .bye:
            guard let room = clients[client]?.room else { return refuse(client, .notInRoom) }
            let json = String(decoding: text, as: UTF8.self)
            for other in rooms[room, default: []] where other != client {
                outputs.append(.send(other, json))
                counters.relayed += 1
            }
            if message == .bye { leave(client, notify: false) }
        }
    }

    /// A binary message from `client`: refused (the protocol is JSON text).
    public mutating func receiveBinary(from client: SignalingClientID) {
        guard clients[client] != nil else { return }
        refuse(client, .binary)
    }

    /// Closes `client` for a reason the driver found (a frame too large to buffer, a
    /// client that does not read): error message, close, out of its room.
    public mutating func refuse(_ client: SignalingClientID, _ refusal: SignalingRefusal) {
        guard clients[client] != nil else { return }
        counters.refused[refusal.label, default: 0] += 1
        outputs.append(.send(client, SignalingPeerMessage.error(reason: refusal.description).json))
        outputs.append(.close(client, refusal))
        disconnect(client)
    }

    /// The connection of `client` ended: it leaves its room, whose others get `peer-left`.
    public mutating func disconnect(_ client: SignalingClientID) {
        guard clients[client] != nil else { return }
        leave(client, notify: true)
        clients[client] = nil
        counters.clients = clients.count
    }

    /// The next output, or nil; drain after every input.
    public mutating func poll() -> SignalingOutput? {
        guard outputHead < outputs.count else { return nil }
        let output = outputs[outputHead]
        outputHead += 1
        if outputHead == outputs.count { outputs.removeAll(keepingCapacity: true); outputHead = 0 }
        return output
    }

    /// The members of `room` in order of joining (empty when it is not open).
    public func members(of room: String) -> [SignalingClientID] { rooms[room] ?? [] }

    /// The room `client` is in.
    public func room(of client: SignalingClientID) -> String? { clients[client]?.room }

    private mutating func join(_ client: SignalingClientID, _ room: String) {
        guard clients[client]?.room == nil else { return refuse(client, .alreadyJoined) }
        let members = rooms[room] ?? []
        if members.isEmpty && rooms.count >= limits.maxRooms { return refuse(client, .tooManyRooms) }
        if members.count >= limits.roomSize { return refuse(client, .roomFull) }
        rooms[room] = members + [client]
        clients[client]?.room = room
        counters.rooms = rooms.count
        outputs.append(.send(client, SignalingPeerMessage.joined(room: room, peers: members.count).json))
        for other in members { outputs.append(.send(other, SignalingPeerMessage.peerJoined.json)) }
    }

    /// Takes `client` out of its room (closing an empty room); `notify` tells the others.
    private mutating func leave(_ client: SignalingClientID, notify: Bool) {
        guard let room = clients[client]?.room else { return }
        clients[client]?.room = nil
        let others = (rooms[room] ?? []).filter { $0 != client }
        rooms[room] = others.isEmpty ? nil : others
        counters.rooms = rooms.count
        if notify { for other in others { outputs.append(.send(other, SignalingPeerMessage.peerLeft.json)) } }
    }
}
