import NetTypes

/// Loss recovery and frame-level reception of a video stream, agreed by sender and
/// receiver (in SDP: `a=rtcp-fb:* nack`, `nack pli`, `ccm fir`, an `rtx` payload type and
/// the frame marking `a=extmap`). When a call has one, video packets carry frame marking
/// (RFC 9626), the receiver assembles frames and plays them out through a jitter buffer,
/// and the switches below turn on NACK, RTX and key frame requests. A call without one
/// sends and receives exactly as before (no extension, no history, no frame tracking).
public struct RecoveryConfiguration: Sendable, Equatable {
    /// The receiver sends generic NACKs for missing packets (RFC 4585 §6.2.1) and the
    /// sender retransmits them.
    public var nack = false
    /// Retransmissions travel in an RTX stream (RFC 4588, own SSRC and payload type);
    /// false: in the original stream with their original sequence numbers (RFC 4585 §3.1).
    public var rtx = false
    /// The receiver asks for a key frame with PLI (RFC 4585 §6.3.1) when it cannot
    /// decode; false: it waits for the next periodic key frame.
    public var keyFrameRequests = false
    /// The receiver's playout delay bounds.
    public var jitterBuffer = JitterBufferConfiguration()
    /// A NACKed packet is requested at most this many times (libwebrtc NackRequester
    /// kMaxNackRetries 10) ...
    public var maxNackRetries = 10
    /// ... and not after it has been missing this long.
    public var maxNackAge = Duration.seconds(1)
    /// A packet found missing is first NACKed this much later (0: at once, as libwebrtc's
    /// NackRequester without its send-delay trial), giving FEC the time to repair it first.
    public var nackDelay = Duration.zero
    /// FlexFEC repair packets protect the video (RFC 8627); nil: none.
    public var fec: FECConfiguration?

    public init(nack: Bool = false, rtx: Bool = false, keyFrameRequests: Bool = false) {
        self.nack = nack
        self.rtx = rtx
        self.keyFrameRequests = keyFrameRequests
    }
}

/// Bounds of the receiver's playout delay. The delay itself follows the frames'
/// interarrival jitter (RFC 3550 §6.4.1 estimator over frame completion times) times
/// `jitterMultiplier`, clamped to `minDelay...maxDelay`.
public struct JitterBufferConfiguration: Sendable, Equatable {
    public var minDelay = Duration.zero
    public var maxDelay = Duration.seconds(2)
    /// How many jitter estimates of delay the buffer holds (libwebrtc's jitter estimator
    /// uses about 3 standard deviations of frame delay variation).
    public var jitterMultiplier = 3.0

    public init(minDelay: Duration = .zero, maxDelay: Duration = .seconds(2)) {
        self.minDelay = minDelay
        self.maxDelay = maxDelay
    }
}
