/// The TURN client's timers, each a slot of its `TimerTable`.
public enum TURNClientTimer: Int, CaseIterable, Sendable {
    /// Retransmission of an outstanding request (RFC 8489 §6.2.1).
    case transactions
    /// The allocation's lifetime runs out (RFC 8656 §7).
    case expiry
    /// The allocation is refreshed before it expires (RFC 8656 §8).
    case refresh
    /// Installed permissions are refreshed before their 300 s run out (RFC 8656 §9).
    case permissionRefresh
    /// Bound channels are refreshed before their 600 s run out (RFC 8656 §11).
    case channelRefresh
}
