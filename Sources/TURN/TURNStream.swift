import NetTypes
import STUN

/// One TCP or TLS-over-TCP connection between a TURN client and server, above TCP: the
/// framing of STUN and ChannelData messages in the byte stream (RFC 8489 §6.2.2,
/// RFC 8656 §12.5) and, over TLS, the TLS session (RFC 8656 §3.1: TLS over TCP to the
/// server, port 443 where only web traffic passes).
///
/// The client and server cores own one per connection and hand the driver only stream
/// bytes (`StreamCore`): what goes on the wire is the cores' own work, byte for byte.
struct TURNStream {
    /// The transport: `.tcp` or `.tls`.
    let transport: TransportKind
    private var framer = STUNStreamFramer()
    /// Stream bytes to write, in order.
    private(set) var wire: [[UInt8]] = []
    /// Why the stream is unusable (garbage framing, TLS failure); nil while it works.
    private(set) var failure: String?
    /// When bytes last arrived.
    private(set) var lastActivity: Instant

    init(transport: TransportKind, now: Instant) {
        self.transport = transport
        lastActivity = now
    }

    /// Bytes read from the connection: the whole messages they complete, in order.
    mutating func receive(_ bytes: [UInt8], now: Instant) -> [[UInt8]] {
        guard failure == nil else { return [] }
        lastActivity = now
        framer.append(bytes)
        do throws(STUNStreamFramingError) {
            return try framer.frames()
        } catch {
            failure = error.description
            return []
        }
    }

    /// Queues one message (STUN, or ChannelData padded for streams) for the wire.
    mutating func send(_ message: [UInt8]) {
        guard failure == nil else { return }
        wire.append(message)
    }

    /// The stream bytes queued since the last call.
    mutating func takeWire() -> [[UInt8]] {
        defer { wire.removeAll() }
        return wire
    }
}
