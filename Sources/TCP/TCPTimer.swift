/// The timers of a TCP connection, one slot each in its `TimerTable`.
public enum TCPTimer: Int, CaseIterable, Sendable {
    /// The retransmission timer of RFC 6298 (SYN, SYN-ACK, data and FIN).
    case retransmission
    /// The delayed-ACK timer (RFC 9293 §3.8.6.3, RFC 5681 §4.2).
    case delayedAck
    /// The persist timer probing a zero window (RFC 9293 §3.8.6.1).
    case persist
    /// TIME-WAIT's 2·MSL (RFC 9293 §3.6.1).
    case timeWait
}
