/// How an association picks the stream whose next message goes out when several streams
/// have data queued (RFC 8260 §3).
///
/// With plain DATA chunks (no I-DATA) the fragments of one user message must carry
/// consecutive TSNs (RFC 9260 §6.9), so every scheduler here switches streams at message
/// boundaries only: a message that started going out finishes before another stream's
/// message begins.
public enum SCTPStreamScheduler: Sendable, Equatable {
    /// First come, first served (RFC 8260 §3.1): messages leave in the order they were
    /// sent, across streams — one FIFO. A chat message waits behind everything queued.
    case firstComeFirstServed
    /// Round robin (RFC 8260 §3.2): one message from each stream with data in turn, in
    /// stream id order.
    case roundRobin
    /// Weighted fair queueing (RFC 8260 §3.6): each stream with data gets a share of the
    /// bytes sent proportional to its weight (`SCTPAssociation.setPriority`). WebRTC's
    /// scheduler: the weight is the channel's RFC 8832 priority (very-low 128, low 256,
    /// medium 512, high 1024: 1:2:4:8, as libwebrtc's dcsctp weighs them).
    case weightedFair
}

/// The weights of the W3C `RTCPriorityType` values as RFC 8832 §5.1 priorities (RFC 8831
/// §6.4 suggests these four values).
public enum SCTPStreamPriority {
    public static let veryLow: UInt16 = 128
    public static let low: UInt16 = 256
    public static let medium: UInt16 = 512
    public static let high: UInt16 = 1024
}
