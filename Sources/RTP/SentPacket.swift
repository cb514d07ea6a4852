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

    public init(sequence: Int64, size: Int, sendTime: Instant, probeClusterID: Int? = nil) {
        self.sequence = sequence
        self.size = size
        self.sendTime = sendTime
        self.probeClusterID = probeClusterID
    }
}

/// The fate of one sent packet as transport-wide feedback reported it (libwebrtc's
/// `PacketResult`): the congestion controller's input.
public struct PacketResult: Hashable, Sendable {
    public var sent: SentPacket
    /// Arrival time in the receiver's clock (only differences between arrivals are
    /// meaningful); nil when the feedback reported the packet lost.
    public var receiveTime: Instant?

    public init(sent: SentPacket, receiveTime: Instant?) {
        self.sent = sent
        self.receiveTime = receiveTime
    }

    public var isReceived: Bool { receiveTime != nil }
}
