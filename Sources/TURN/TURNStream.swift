import NetTypes
import STUN
import TLS

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
    /// How the stream ended, nil while it works.
    private(set) var end: End?

    enum End: Equatable {
        /// Garbage framing or a TLS failure: the peer is broken or hostile.
        case failed(String)
        /// The peer closed TLS (close_notify): an orderly end, not an error.
        case closedByPeer
    }
    /// When bytes last arrived.
    private(set) var lastActivity: Instant
    /// Over TLS: the session (a reference: the stream is owned by one core and never
    /// copied apart from it).
    private let tls: TLSSession?
    private var tlsStarted = false

    /// A stream over plain TCP (`tls` nil) or over TLS with this session.
    init(transport: TransportKind, tls: TLSSession?, now: Instant) {
        self.transport = transport
        self.tls = tls
        lastActivity = now
    }

    /// Bytes read from the connection: the whole messages they complete, in order.
    /// Messages completed before a peer's close_notify are still handed out.
    mutating func receive(_ bytes: [UInt8], now: Instant) -> [[UInt8]] {
        guard end == nil else { return [] }
        lastActivity = now
        if let tls {
            tls.receive(bytes, now: now)
            drainTLS(tls)
        } else {
            framer.append(bytes)
        }
        if case .failed = end { return [] }
        do throws(STUNStreamFramingError) {
            return try framer.frames()
        } catch {
            end = .failed(error.description)
            return []
        }
    }

    /// Queues one message (STUN, or ChannelData padded for streams) for the wire: over
    /// TLS encrypted, after the handshake (a client's first message starts it).
    mutating func send(_ message: [UInt8], now: Instant) {
        guard end == nil else { return }
        guard let tls else { return wire.append(message) }
        if !tlsStarted {
            tlsStarted = true
            tls.start(now: now)
        }
        tls.send(message, now: now)
        drainTLS(tls)
    }

    /// Moves the TLS session's outputs: records to the wire, plaintext to the framer.
    private mutating func drainTLS(_ tls: TLSSession) {
        while let output = tls.poll() {
            switch output {
            case .transmit(let bytes): wire.append(bytes)
            case .received(let plaintext): framer.append(plaintext)
            case .established: break
            case .closed: end = end ?? .closedByPeer
            case .failed(let error): end = end ?? .failed("TLS: \(error)")
            }
        }
    }

    /// The stream bytes queued since the last call.
    mutating func takeWire() -> [[UInt8]] {
        defer { wire.removeAll() }
        return wire
    }
}
