/// A sans-IO core that also talks over byte streams (TCP, TLS over TCP): the TURN server
/// accepting clients on TCP/TLS listeners, a TURN client reaching its server over them.
///
/// The driver owns the connections and is a plain byte pipe; the core owns everything
/// above TCP (TLS records, message framing), so the bytes on the wire come from the core
/// and are the same, seed for seed, in the simulator and on real sockets.
///
/// - **Bytes.** Stream bytes travel in `Datagram`s of transport `.tcp` or `.tls` (both
///   ride on one TCP connection; the transport names what the core speaks on it). A
///   `.transmit` writes its payload to the connection between `source` and `destination`;
///   the driver opens it (an active open from `source`'s address, any port) if none
///   exists. Bytes read from a connection reach the core through `handle(_:now:)` as a
///   datagram from the remote endpoint to the local one, in any split: a core reassembles.
///   For connections the driver opened on the core's behalf, the local endpoint is the
///   `source` the core named, whatever port the connection really has.
/// - **Closing.** A `.transmit` with an empty payload asks the driver to close the
///   connection once what was written before has been sent (a zero-length write means
///   nothing else on a stream).
/// - **Lifecycle.** `streamOpened` tells the core of a connection a listener accepted
///   (before any byte arrives: a core that bounds connections per source, or closes idle
///   ones, sees the connections that never send); `streamClosed` of any connection that
///   ended: the peer closed or reset it, it could not be opened, or it timed out.
public protocol StreamCore: SansIOCore {
    /// A listener accepted a connection from `remote` on `local` (a listening endpoint).
    mutating func streamOpened(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant)
    /// The connection between `local` and `remote` ended; nothing more will arrive on it.
    mutating func streamClosed(local: Endpoint, remote: Endpoint, transport: TransportKind, now: Instant)
}

extension Datagram {
    /// Whether this output asks the driver to close a stream (an empty stream write).
    @inlinable public var isStreamClose: Bool { transport.isReliable && payload.isEmpty }
}
