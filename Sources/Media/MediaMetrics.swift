/// Time series a `MediaSender` records every metrics interval.
public struct SenderMetrics: Sendable, Equatable {
    /// The controller's target rate, bps.
    public var targetRate = TimeSeries()
    /// The pacing rate, bps.
    public var pacingRate = TimeSeries()
    /// The controller's stable target (`CongestionController.stableTargetRate`), bps.
    public var stableTargetRate = TimeSeries()
    /// The receiver's estimates (REMB), bps, as they arrive.
    public var receiverEstimate = TimeSeries()
    /// What left the pacer over the last 500 ms (media, padding, probes), bps.
    public var sentRate = TimeSeries()
    /// What feedback acknowledged as received over the last 500 ms, bps.
    public var ackedRate = TimeSeries()
    /// RTT from RTCP receiver reports, ms (sampled when reports arrive).
    public var roundTripTime = TimeSeries()
    /// Share of packets feedback reported lost, per feedback (0...1).
    public var lossFraction = TimeSeries()
    /// Generic NACK packets received (with loss recovery on).
    public var nacksReceived = 0
    /// Packets retransmitted on NACK (RTX or in the original stream) ...
    public var retransmittedPackets = 0
    /// ... and their bytes, as counted in the sent rate.
    public var retransmittedBytes = 0
    /// FlexFEC repair packets sent (RFC 8627) ...
    public var fecPackets = 0
    /// ... and their bytes, as counted in the sent rate.
    public var fecBytes = 0
    /// PLI and FIR requests received, honoured or not.
    public var keyFrameRequests = 0
    /// Video key frames encoded (periodic and requested).
    public var keyFrames = 0

    public init() {}
}

/// Time series a `MediaReceiver` records.
public struct ReceiverMetrics: Sendable, Equatable {
    /// Per packet: arrival minus abs-send-time, ms (exact where both clocks are one).
    public var oneWayDelay = TimeSeries()
    /// Per packet: one-way delay minus the smallest seen so far, ms — the queuing delay
    /// estimate.
    public var queuingDelay = TimeSeries()
    /// Received rate over the last 500 ms, bps, every metrics interval.
    public var receivedRate = TimeSeries()
    /// Share of packets lost per metrics interval (0...1): `PacketLossCount.fraction` of
    /// the interval, as RTCP's fraction lost (RFC 3550 A.3) but per metrics interval.
    public var lossFraction = TimeSeries()

    public init() {}
}
