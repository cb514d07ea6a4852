import NetTypes

/// What a receiver with loss recovery measured of its video stream: packets missing
/// after recovery, the feedback it sent, and frame-level quality (frames rendered and
/// dropped, capture-to-render delay, freezes as W3C webrtc-stats counts them, time to
/// first frame).
public struct VideoReceptionMetrics: Sendable, Equatable {
    /// Video packets expected (highest − first sequence number + 1, RFC 3550 A.3) ...
    public var packetsExpected = 0
    /// ... and of those, never received, neither first nor retransmitted.
    public var packetsUnrecovered = 0
    /// Received after later packets: retransmitted (or reordered on the path), or rebuilt from FEC.
    public var packetsRecovered = 0
    /// Rebuilt from FlexFEC repairs (RFC 8627) before any copy arrived.
    public var packetsRecoveredByFEC = 0
    /// Generic NACK packets sent, and the packet requests in them.
    public var nacksSent = 0
    public var packetsNacked = 0
    /// PLI packets sent.
    public var pliSent = 0
    public var framesRendered = 0
    /// Frames complete or partly received that were never rendered.
    public var framesDropped = 0
    public var freezeCount = 0
    public var freezeDuration = Duration.zero
    /// From the receiver's start to the first rendered frame; nil before.
    public var timeToFirstFrame: Duration?
    /// Per rendered frame, at its render time: render minus capture time, ms (capture as
    /// the earliest abs-send-time of its packets: exact while the pacer keeps no queue).
    public var frameDelay = TimeSeries()

    public init() {}

    /// Unrecovered over expected, 0...1; nil when nothing was expected.
    public var residualLoss: Double? { packetsExpected > 0 ? Double(packetsUnrecovered) / Double(packetsExpected) : nil }
}
