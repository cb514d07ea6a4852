/// The bounds a signaling server keeps (docs/signaling.md): what one client may send and
/// how many clients and rooms it holds, so that a bad or hostile client costs bounded
/// memory and time and never affects other rooms.
public struct SignalingLimits: Sendable, Hashable {
    /// Members a room holds; a further `join` is refused ("room full"). 2 for a call.
    public var roomSize = 2
    /// Rooms open at once; a `join` that would open one more is refused.
    public var maxRooms = 1_000
    /// Clients connected at once; more are closed at once.
    public var maxClients = 4_000
    /// Largest message, in bytes of its UTF-8 text (an SDP with many candidates is ~10 kB).
    public var maxMessageBytes = 64 * 1024
    /// Messages per second a client may send on average …
    public var messagesPerSecond = 20.0
    /// … and in a burst (trickled candidates arrive in bursts).
    public var messageBurst = 100.0
    /// Longest room name, in characters (letters, digits, `-`, `_`, `.`).
    public var maxRoomNameLength = 64

    public init() {}
}
