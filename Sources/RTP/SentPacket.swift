import NetTypes

/// A packet as the sender's congestion control saw it leave: the input of
/// `onPacketSent` and, with its fate, of feedback processing.
public struct SentPacket: Hashable, Sendable {
    /// Transport-wide sequence number, unwrapped (the wire carries its low 16 bits).
    public var sequence: Int64
    /// Bytes on the wire counted by congestion control (RTP packet size).
    public var size: Int
    public var sendTime: Instant
    /// The probe cluster the packet belongs to, if it was sent for probing.
    public var probeClusterID: Int?
    /// The RTP stream and sequence number: what RFC 8888 feedback names a packet by.
    public var ssrc: UInt32
    public var rtpSequence: UInt16

    public init(sequence: Int64, size: Int, sendTime: Instant, probeClusterID: Int? = nil, ssrc: UInt32 = 0, rtpSequence: UInt16 = 0) {
        self.sequence = sequence
        self.size = size
        self.sendTime = sendTime
        self.probeClusterID = probeClusterID
        self.ssrc = ssrc
        self.rtpSequence = rtpSequence
    }
}

/// The fate of one sent packet as feedback (transport-wide or RFC 8888) reported it (libwebrtc's
/// `PacketResult`): the congestion controller's input.
public struct PacketResult: Hashable, Sendable {
    public var sent: SentPacket
    /// Arrival time in the receiver's clock (only differences between arrivals are
    /// meaningful); nil when the feedback reported the packet lost.
    public var receiveTime: Instant?
    /// The IP ECN field the packet arrived with, as RFC 8888 feedback reports it (CE: a
    /// queue on the path marked it, RFC 3168 §5). Transport-wide feedback carries no ECN:
    /// `.notECT` then.
    public var ecn: ECNCodepoint

    public init(sent: SentPacket, receiveTime: Instant?, ecn: ECNCodepoint = .notECT) {
        self.sent = sent
        self.receiveTime = receiveTime
        self.ecn = ecn
    }

    public var isReceived: Bool { receiveTime != nil }
}
