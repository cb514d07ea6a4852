/// The timers of an SCTP association, one slot each in its `TimerTable` (RFC 9260 §16).
public enum SCTPTimer: Int, CaseIterable, Sendable {
    /// T1-init and T1-cookie: resend INIT or COOKIE ECHO (§5.1).
    case initiation
    /// T3-rtx: the retransmission timer of outstanding DATA (§6.3.2).
    case retransmission
    /// The delayed SACK timer (§6.2).
    case delayedAck
    /// The heartbeat timer probing an idle path (§8.3).
    case heartbeat
    /// T2-shutdown: resend SHUTDOWN or SHUTDOWN ACK (§9.2).
    case shutdown
    /// Resend an unanswered RE-CONFIG request (RFC 6525 §5.1.1).
    case reconfig
}

/// Counters for tests, traces and benches.
public struct SCTPStatistics: Sendable, Equatable {
    public var packetsSent = 0
    public var packetsReceived = 0
    /// Packets dropped whole: malformed, bad checksum, wrong ports or verification tag
    /// (§8.5), or out of the blue (§8.4).
    public var packetsDiscarded = 0
    public var dataChunksSent = 0
    public var dataChunksReceived = 0
    /// DATA chunks sent again, on T3-rtx or fast retransmit.
    public var retransmissions = 0
    public var fastRetransmits = 0
    public var timeouts = 0
    public var duplicateTSNs = 0
    /// DATA chunks dropped because the receive buffer was full (§6.2).
    public var receiveWindowDrops = 0
    /// Messages abandoned under a partial reliability policy (RFC 3758).
    public var abandonedMessages = 0
    public var messagesDelivered = 0
    /// Received messages over the maximum message size, discarded.
    public var oversizedMessages = 0
    /// COOKIE ECHOes refused: bad MAC, stale, or a replay into an established association.
    public var cookiesRejected = 0
    /// INITs answered without keeping state (§5.1.3).
    public var initsAnswered = 0

    public init() {}
}
