/// Why the signaling server closes a client: bad input never crashes the server or
/// touches another room; the client gets `{"type":"error","reason":…}` and a WebSocket
/// close with `closeCode` (RFC 6455 §7.4.1) and the same reason.
public enum SignalingRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not a JSON object with a string `type`, or a field of the wrong kind.
    case malformed(String)
    /// A message of more than `SignalingLimits.maxMessageBytes`.
    case tooLarge(Int)
    /// A binary message: the protocol is JSON text.
    case binary
    /// A `type` the protocol does not have.
    case unknownType(String)
    /// A room name that is empty, too long, or has characters outside `A-Za-z0-9-_.`.
    case badRoomName
    /// An offer, answer, candidate or bye before joining a room.
    case notInRoom
    /// A second `join` on the same connection.
    case alreadyJoined
    /// The room has `SignalingLimits.roomSize` members.
    case roomFull
    /// `SignalingLimits.maxRooms` rooms are open.
    case tooManyRooms
    /// `SignalingLimits.maxClients` clients are connected.
    case tooManyClients
    /// More messages than `SignalingLimits.messagesPerSecond` (with its burst) allow.
    case rateLimited
    /// The client does not read what it is sent (the server's buffer for it is full).
    case slowReader

    /// The WebSocket close code (RFC 6455 §7.4.1): 1003 unsupported data, 1007 invalid
    /// payload, 1009 message too big, 1013 try again later, 1008 policy violation.
    public var closeCode: UInt16 {
        switch self {
        case .binary: 1003
        case .malformed: 1007
        case .tooLarge: 1009
        case .tooManyRooms, .tooManyClients: 1013
        case .unknownType, .badRoomName, .notInRoom, .alreadyJoined, .roomFull, .rateLimited, .slowReader: 1008
        }
    }

    /// The reason sent in the error message and the close frame (short: a close frame's
    /// reason must fit 123 bytes).
    public var description: String {
        switch self {
        case .malformed(let why): "malformed message: \(why)".prefix(120).description
        case .tooLarge(let bytes): "message too large: \(bytes) bytes"
        case .binary: "binary messages are not accepted"
        case .unknownType(let type): "unknown message type '\(type.prefix(32))'"
        case .badRoomName: "bad room name"
        case .notInRoom: "unknown room: join a room first"
        case .alreadyJoined: "already in a room"
        case .roomFull: "room full"
        case .tooManyRooms: "too many rooms"
        case .tooManyClients: "too many clients"
        case .rateLimited: "rate limit exceeded"
        case .slowReader: "client does not read"
        }
    }

    /// A short label for counters and metrics.
    public var label: String {
        switch self {
        case .malformed: "malformed"
        case .tooLarge: "too_large"
        case .binary: "binary"
        case .unknownType: "unknown_type"
        case .badRoomName: "bad_room_name"
        case .notInRoom: "not_in_room"
        case .alreadyJoined: "already_joined"
        case .roomFull: "room_full"
        case .tooManyRooms: "too_many_rooms"
        case .tooManyClients: "too_many_clients"
        case .rateLimited: "rate_limited"
        case .slowReader: "slow_reader"
        }
    }
}
