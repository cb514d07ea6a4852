/// Which congestion feedback a receiver returns and its sender expects.
public enum CongestionFeedbackKind: String, CaseIterable, Sendable {
    /// Transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01):
    /// arrival time per transport-wide sequence number, no ECN. What browsers send.
    case transportCC = "transport-cc"
    /// RTP congestion control feedback (RFC 8888): arrival time and ECN field per RTP
    /// packet of each stream.
    case ccfb
    /// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb): the receiver
    /// runs GCC's delay-based estimate itself and returns only the rate it can take;
    /// loss reaches the sender through receiver reports, as with `none`.
    case remb
    /// No per-packet feedback: only RTCP receiver reports (loss fraction, RTT) reach the
    /// sender, so only loss-based control can act.
    case none

    /// Whether the receiver reports every packet's fate (controllers that need per-packet
    /// feedback, such as NADA, need one of these).
    public var isPerPacket: Bool { self == .transportCC || self == .ccfb }
}
