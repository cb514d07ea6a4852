import NetTypes

/// Settings of one SCTP association. Defaults follow RFC 9260 §16 and what browsers use
/// for data channels (libwebrtc's dcsctp): MTU 1200, 256 KiB maximum message size.
public struct SCTPConfiguration: Sendable {
    /// Our SCTP port and the peer's (RFC 8841 `a=sctp-port`; 5000 by default).
    public var localPort: UInt16 = 5000
    public var remotePort: UInt16 = 5000
    /// The largest SCTP packet (the DTLS payload); packets are bundled up to it (§6.10).
    /// 256 to 65535.
    public var mtu = 1200
    /// Streams we ask for in each direction (both sides of WebRTC use 65535).
    public var streams: UInt16 = 65535
    /// Our receive window (a_rwnd), bytes: the bound on reassembly and reordering buffers.
    public var receiveWindow = 1 << 20
    /// The largest user message accepted for sending and on receipt (RFC 8841
    /// `a=max-message-size`; 256 KiB like browsers). Larger ones get a typed error.
    public var maxMessageSize = 256 * 1024
    /// Bytes the send queue and the retransmission queue (sent, not yet cumulatively
    /// acknowledged) may hold together before `send` refuses with `.sendBufferFull`.
    public var sendBufferSize = 16 << 20
    /// Which stream's message goes out next when several have data queued (RFC 8260 §3).
    /// Weighted fair queueing by stream priority, as browsers schedule data channels.
    public var streamScheduler = SCTPStreamScheduler.weightedFair
    /// The weighted fair queueing weight of a stream without `setPriority` (RFC 8832 §5.1
    /// priority; 256 is W3C's default "low").
    public var defaultStreamPriority = SCTPStreamPriority.low
    /// RTO.Initial, RTO.Min, RTO.Max (§16). Browsers lower RTO.Min (dcsctp uses 400 ms).
    public var initialRTO = Duration.seconds(1)
    public var minimumRTO = Duration.seconds(1)
    public var maximumRTO = Duration.seconds(60)
    /// Max.Init.Retransmits and Association.Max.Retrans (§16).
    public var maxInitRetransmits = 8
    public var maxAssociationRetransmits = 10
    /// Valid.Cookie.Life (§16).
    public var cookieLifetime = Duration.seconds(60)
    /// HB.interval (§16); nil turns heartbeats off.
    public var heartbeatInterval: Duration? = .seconds(30)
    /// The delayed SACK timer (§6.2: at most 500 ms; 200 ms is common).
    public var delayedAckTimeout = Duration.milliseconds(200)
    /// Whether to offer and use partial reliability (RFC 3758).
    public var partialReliability = true
    /// Whether to offer or accept user message interleaving (RFC 8260: I-DATA, and
    /// I-FORWARD-TSN with partial reliability). Used when one side offers it and the
    /// other offers or accepts; browsers do neither, so WebRTC peers stay with DATA. With
    /// it, the stream scheduler switches streams between fragments, so a large message no
    /// longer holds up the others. Off by default, like a browser.
    public var interleaving = SCTPInterleaving.off
    /// Whether to check the CRC32c of received packets (§6.8). Over DTLS the record MAC
    /// already protects the bytes, which is why RFC 8261 §4 lets peers skip it.
    public var verifyChecksum = true
    /// Duplicate TSNs reported per SACK, and out-of-order TSNs tracked (bounds, §6.2).
    public var maxReportedDuplicates = 16
    public var maxGapBlocks = 64

    public init() {}

    /// The settings made usable: an MTU of 256 to 65535 (room for a header, a SACK and
    /// some data; a chunk length is 16 bits), at least one stream, a maximum message of
    /// at least one byte, non-negative windows and buffers. Applied by the association.
    var normalized: SCTPConfiguration {
        var c = self
        c.mtu = min(max(c.mtu, 256), 65_535)
        c.streams = max(c.streams, 1)
        c.maxMessageSize = max(c.maxMessageSize, 1)
        c.receiveWindow = max(c.receiveWindow, 0)
        c.sendBufferSize = max(c.sendBufferSize, 0)
        c.maxReportedDuplicates = max(c.maxReportedDuplicates, 0)
        c.maxGapBlocks = max(c.maxGapBlocks, 1)
        return c
    }
}
