/// What a side can do for one kind of media: the codecs, header extensions and direction
/// for RTP, or the SCTP port and message size for data channels.
public struct MediaCapabilities: Hashable, Sendable {
    /// Codecs in order of preference (the payload types are used in offers).
    public var codecs: [Codec]
    /// Header extension URIs; offers number them from 1 in this order.
    public var headerExtensions: [String]
    public var direction: MediaDirection
    /// The media stream and track sent, if any.
    public var msid: MSID?
    /// The SCTP port of a data channel section.
    public var sctpPort: UInt16
    /// The largest data channel message accepted.
    public var maxMessageSize: UInt64

    public init(codecs: [Codec] = [], headerExtensions: [String] = [], direction: MediaDirection = .sendrecv,
                msid: MSID? = nil, sctpPort: UInt16 = 5000, maxMessageSize: UInt64 = 262_144) {
        self.codecs = codecs
        self.headerExtensions = headerExtensions
        self.direction = direction
        self.msid = msid
        self.sctpPort = sctpPort
        self.maxMessageSize = maxMessageSize
    }
}
