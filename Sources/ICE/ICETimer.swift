/// The ICE agent's timers, each a slot of its `TimerTable`; on a tie the first listed
/// is reported as the reason of a wake-up.
public enum ICETimer: Int, CaseIterable, Sendable {
    /// STUN transactions of server-reflexive queries (RFC 8489 §6.2.1 retransmissions).
    case gathering
    /// The TURN clients of relayed candidates: retransmissions and refreshes (RFC 8656).
    case relays
    /// Retransmission of connectivity checks (RFC 8445 §14.3, RFC 8489 §6.2.1).
    case checkRetransmit
    /// The pacer's next turn, Ta after the last (RFC 8445 §14.2).
    case pacing
    /// The controlling agent's wait for better pairs before nominating (§8.1.1).
    case nomination
    /// Consent freshness: the next check, expiry and the disconnected mark (RFC 7675 §5.1).
    case consent
    /// Keepalives on the selected pairs (RFC 8445 §11).
    case keepalive
    /// Checking gives up when no pair is selected in time.
    case checkingTimeout
}
