import NetTypes

/// A host's TCP: what `Host` hands TCP segments and TCP-related ICMP errors to.
///
/// The simulator knows IP, not TCP: the stack (the `SimulatedTCP` module's, which drives
/// the TCP module's sans-IO cores) demultiplexes segments to connections and listeners,
/// answers segments for closed ports, and sends with `Host.sendTCP`.
public protocol HostTCPStack: AnyObject {
    /// A segment addressed to the host: `payload` is the whole TCP segment.
    func receive(_ segment: Datagram)
    /// An ICMP destination-unreachable about a TCP packet the host sent (RFC 5461).
    func receive(_ error: ICMPUnreachable)
}
