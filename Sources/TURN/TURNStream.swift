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
    /// Why the stream is unusable (garbage framing, TLS failure); nil while it works.
    private(set) var failure: String?
    /// When bytes last arrived.
    private(set) var lastActivity: Instant
    /// Over TLS: the session (a reference: the stream is owned by one core and never
    /// copied apart from it).
    private let tls: TLSSession?
    private var tlsStarted = false
    /// Over TLS: what the handshake agreed, once it completed.
    private(set) var established: TLSConnectionInfo?

    /// A stream over plain TCP (`tls` nil) or over TLS with this session.
    init(transport: TransportKind, tls: TLSSession?, now: Instant) {
        self.transport = transport
        self.tls = tls
        lastActivity = now
    }

    /// Bytes read from the connection: the whole messages they complete, in order.
    mutating func receive(_ bytes: [UInt8], now: Instant) -> [[UInt8]] {
        guard failure == nil else { return [] }
        lastActivity = now
        if let tls {
            tls.receive(bytes, now: now)
            drainTLS(tls)
        } else {
            framer.append(bytes)
        }
        guard failure == nil else { return [] }
        do throws(STUNStreamFramingError) {
            return try framer.frames()
        } catch {
            failure = error.description
            return []
        }
    }

    /// Queues one message (STUN, or ChannelData padded for streams) for the wire: over
    /// TLS encrypted, after the handshake (a client's first message starts it).
    mutating func send(_ message: [UInt8], now: Instant) {
        guard failure == nil else { return }
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
            case .established(let info): established = info
            case .closed: failure = failure ?? "TLS closed by the peer"
            case .failed(let error): failure = failure ?? "TLS: \(error)"
            }
        }
    }

    /// The stream bytes queued since the last call.
    mutating func takeWire() -> [[UInt8]] {
        defer { wire.removeAll() }
        return wire
    }
}
