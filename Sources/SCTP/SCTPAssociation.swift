import NetTypes

/// A sans-IO SCTP association (RFC 9260) as WebRTC data channels use it: one peer, one
/// path, carried over DTLS (RFC 8261), with partial reliability (RFC 3758) and stream
/// reset (RFC 6525).
///
/// The `SansIOCore` contract: feed `connect(now:)` (either side, or both: an INIT
/// collision resolves per §5.2.1), `handle(_:now:)` with each DTLS application record,
/// `handleTimeout(now:)`, and the user calls `send`, `resetStreams`, `shutdown`, `abort`;
/// after each, drain `pollOutput()` until `.timeout(deadline)`. Outputs are SCTP packets
/// (datagrams from `local` to `remote`, for the DTLS layer to send) and `SCTPEvent`s.
///
/// The verification tag, initial TSN and cookie secret come from the `Xoshiro256` given
/// at init, so a seeded association repeats byte for byte.
public struct SCTPAssociation: SansIOCore {
    public typealias Event = SCTPEvent

    public let configuration: SCTPConfiguration
    public let local: Endpoint
    public let remote: Endpoint
    public internal(set) var state: SCTPState = .closed
    public internal(set) var statistics = SCTPStatistics()

    var rng: Xoshiro256
    let cookies: SCTPCookieSigner
    var timers = TimerTable<SCTPTimer>()
    var outputs = OutputQueue<SCTPEvent>()
    /// Set once the association ended (closed after shutdown, failed): every input is ignored.
    var ended = false

    // MARK: Handshake (§5)

    /// Our verification tag and initial TSN, drawn at init.
    public let localTag: UInt32
    let localInitialTSN: UInt32
    /// The peer's tag (0 until known).
    public internal(set) var peerTag: UInt32 = 0
    /// The INIT or COOKIE ECHO T1 resends, and how often it was resent.
    var handshakeChunk: SCTPChunk?
    var initRetransmissions = 0
    /// Stream counts and extensions agreed with the peer.
    public internal(set) var outboundStreams: UInt16 = 0
    public internal(set) var inboundStreams: UInt16 = 0
    public internal(set) var peerSupportsForwardTSN = false
    public internal(set) var peerSupportsReconfig = false
    /// Whether I-DATA was agreed (RFC 8260 §2.2.1; one side offered, the other offered or
    /// accepted): user messages go out as I-DATA, interleaved between streams, and partial
    /// reliability uses I-FORWARD-TSN.
    public internal(set) var interleaving = false
    /// Whether the peer listed I-DATA (and I-FORWARD-TSN) in an INIT or INIT ACK we read,
    /// or in the INIT its State Cookie holds. Only ever set, so that every chunk of an INIT
    /// collision counts whatever order they arrive in (`decideExtensions`).
    var peerListedInterleaving = false
    var peerListedInterleavedForwardTSN = false
    /// Whether the peer's INIT ACK or cookie listed FORWARD-TSN (RFC 3758 §3.1).
    var peerListedForwardTSN = false

    // MARK: Sending (§6.1-6.3, §7)

    var nextTSN: UInt32
    /// Messages waiting for TSNs, per stream, and the stream scheduler (RFC 8260 §3).
    var sendQueue: SCTPSendQueue
    var queuedBytes = 0
    var nextMessageID = 0
    var outgoingSSN: [UInt16: UInt16] = [:]
    /// I-DATA: the next MID per stream, ordered and unordered (RFC 8260 §2.1).
    var outgoingMID: [UInt16: UInt32] = [:]
    var outgoingUnorderedMID: [UInt16: UInt32] = [:]
    /// DATA chunks sent and not cumulatively acknowledged, in TSN order.
    var outstanding = SCTPRetransmissionQueue()
    /// Bytes of the outstanding chunks, gap-acknowledged and abandoned ones included (they
    /// are held until the cumulative ack passes them): with `queuedBytes`, what the send
    /// buffer limit bounds.
    var outstandingBytes = 0
    /// How many outstanding chunks are gap-acknowledged (`acked`).
    var gapAckedChunks = 0
    /// The peer's cumulative TSN ack.
    var cumulativeAck: UInt32
    /// RFC 3758 §3.5: the TSN a FORWARD-TSN moves the peer to.
    var advancedPeerAckPoint: UInt32
    var forwardTSNNeeded = false
    public internal(set) var congestionWindow: Int
    public internal(set) var slowStartThreshold: Int
    var partialBytesAcked = 0
    public internal(set) var flightSize = 0
    public internal(set) var peerReceiveWindow = 0
    /// While in fast recovery, the highest TSN outstanding when it began (§7.2.4).
    var fastRecoveryExit: UInt32?
    /// Set by fast retransmit: the next packet goes out regardless of cwnd (§7.2.4 rule 3).
    var fastRetransmitPending = false
    public internal(set) var rto: RTOEstimator
    /// The chunk being timed for an RTT sample (one per round trip, §6.3.1 C4-C5).
    var rttProbe: (tsn: UInt32, sentAt: Instant)?
    /// Consecutive timeouts of T3-rtx, T2 and heartbeats (§8.1).
    var errorCount = 0
    /// Control chunks for the next packet, before any SACK and DATA.
    var pendingControl: [SCTPChunk] = []

    // MARK: Receiving (§6.2, §6.5)

    /// The peer's cumulative TSN as we received it: every TSN up to here arrived.
    var peerCumulativeTSN: UInt32 = 0
    /// TSNs received above `peerCumulativeTSN`, in serial order.
    var receivedAbove: [UInt32] = []
    var duplicates: [UInt32] = []
    var reassembly: SCTPReassembly
    /// Reassembly of I-DATA fragments, when interleaving.
    var interleavedReassembly: SCTPInterleavedReassembly
    var packetsWithDataSinceSack = 0
    var sackNow = false

    // MARK: Stream reset (RFC 6525)

    /// Streams whose reset was asked and not yet confirmed (no new data on them).
    var resettingStreams: Set<UInt16> = []
    /// Streams waiting for their queued data to get TSNs before the request goes out.
    var resetQueue: [UInt16] = []
    var outgoingResetRequest: (sequence: UInt32, lastTSN: UInt32, streams: [UInt16])?
    var nextReconfigSequence: UInt32
    var expectedPeerReconfigSequence: UInt32 = 0
    var lastReconfigResponse: (sequence: UInt32, result: SCTPReconfigResult)?
    /// A peer request waiting for TSNs up to its last TSN (answered "in progress").
    var deferredIncomingReset: (sequence: UInt32, lastTSN: UInt32, streams: [UInt16])?

    // MARK: Heartbeat (§8.3)

    var heartbeatNonce: UInt64?

    /// An association from `local` to `remote`; nothing is sent before `connect` or the
    /// peer's INIT.
    public init(configuration requested: SCTPConfiguration = SCTPConfiguration(), local: Endpoint, remote: Endpoint, rng: Xoshiro256) {
        let configuration = requested.normalized
        self.configuration = configuration
        self.local = local
        self.remote = remote
        self.rng = rng
        var tag: UInt32 = 0
        while tag == 0 { tag = UInt32(truncatingIfNeeded: self.rng.next()) }  // §5.3.1: nonzero
        localTag = tag
        localInitialTSN = UInt32(truncatingIfNeeded: self.rng.next())
        var secret = [UInt8]()
        for _ in 0..<4 { withUnsafeBytes(of: self.rng.next()) { secret += $0 } }
        cookies = SCTPCookieSigner(secret: secret)
        nextTSN = localInitialTSN
        cumulativeAck = localInitialTSN &- 1
        advancedPeerAckPoint = cumulativeAck
        nextReconfigSequence = localInitialTSN
        rto = RTOEstimator(initial: configuration.initialRTO, minimum: configuration.minimumRTO, maximum: configuration.maximumRTO)
        congestionWindow = min(4 * configuration.mtu, max(2 * configuration.mtu, 4380))  // §7.2.1
        slowStartThreshold = configuration.receiveWindow
        reassembly = SCTPReassembly(maxMessageSize: configuration.maxMessageSize)
        interleavedReassembly = SCTPInterleavedReassembly(maxMessageSize: configuration.maxMessageSize)
        sendQueue = SCTPSendQueue(scheduler: configuration.streamScheduler, defaultWeight: configuration.defaultStreamPriority)
    }

    // MARK: SansIOCore

    /// Feeds a received SCTP packet (the DTLS application data payload).
    public mutating func handle(_ datagram: Datagram, now: Instant) {
        handle(packet: datagram.payload, now: now)
    }

    /// Feeds the bytes of a received SCTP packet.
    public mutating func handle(packet bytes: [UInt8], now: Instant) {
        guard !ended else {
            answerAfterClose(bytes)
            return
        }
        statistics.packetsReceived += 1
        guard let packet = try? SCTPPacket(decoding: bytes, verifyChecksum: configuration.verifyChecksum),
              packet.sourcePort == configuration.remotePort, packet.destinationPort == configuration.localPort,
              tagIsValid(packet) else {
            statistics.packetsDiscarded += 1
            return
        }
        receive(packet, now: now)
        afterInput(now: now)
    }

    public mutating func handleTimeout(now: Instant) {
        guard !ended else { return }
        if timers.isDue(.initiation, at: now) { initiationTimeout(now: now) }
        if timers.isDue(.retransmission, at: now) { retransmissionTimeout(now: now) }
        if timers.isDue(.delayedAck, at: now) {
            timers.stop(.delayedAck)
            sackNow = true
        }
        if timers.isDue(.heartbeat, at: now) { heartbeatTimeout(now: now) }
        if timers.isDue(.shutdown, at: now) { shutdownTimeout(now: now) }
        if timers.isDue(.reconfig, at: now) { reconfigTimeout(now: now) }
        afterInput(now: now)
    }

    public mutating func pollOutput() -> CoreOutput<SCTPEvent> {
        outputs.next() ?? .timeout(timers.next)
    }

    /// The timer due next and its deadline, for traces.
    public var nextTimer: (timer: SCTPTimer, deadline: Instant)? { timers.nextTimer() }

    /// Bytes of user messages queued by `send` and not yet handed to the network, as
    /// W3C's `RTCDataChannel.bufferedAmount` counts them (webrtc-pc §6.2; libwebrtc's
    /// dcsctp the same): chunks sent and waiting for their acknowledgement are not
    /// included, so an application refilling at a low mark keeps the path's window full.
    public var bufferedAmount: Int { queuedBytes }

    // MARK: Common paths

    /// The verification tag rules of §8.5 and §8.5.1.
    func tagIsValid(_ packet: SCTPPacket) -> Bool {
        guard let first = packet.chunks.first else { return false }
        switch first {
        case .initiate:
            // §8.5.1 A: INIT alone in its packet, with tag 0.
            return packet.verificationTag == 0 && packet.chunks.count == 1
        case .abort(let reflected, _), .shutdownComplete(let reflected):
            // §8.5.1 B, C: the T bit says whose tag the packet carries.
            return reflected ? (peerTag != 0 && packet.verificationTag == peerTag) : packet.verificationTag == localTag
        case .cookieEcho:
            return true  // checked against the cookie's own tag once its MAC verifies
        default:
            return packet.verificationTag == localTag
        }
    }

    /// §8.4 item 5: a SHUTDOWN ACK repeated after we closed (our SHUTDOWN COMPLETE was
    /// lost) is answered with SHUTDOWN COMPLETE, T bit set, under the tag it carried; the
    /// peer would otherwise retry until it gives up. Nothing else is answered once ended.
    mutating func answerAfterClose(_ bytes: [UInt8]) {
        guard state == .closed, let packet = try? SCTPPacket(decoding: bytes, verifyChecksum: configuration.verifyChecksum),
              packet.verificationTag == localTag, packet.chunks.contains(.shutdownAck) else { return }
        transmit([.shutdownComplete(reflected: true)], tag: localTag)
    }

    /// Runs after every input: deferred work, then the packets it allows.
    mutating func afterInput(now: Instant) {
        guard !ended else { return }
        sendResetRequestIfReady(now: now)
        checkShutdownProgress(now: now)
        flush(now: now)
    }

    /// Queues one packet with `chunks` under `tag` (the peer's, except for INIT's 0).
    mutating func transmit(_ chunks: [SCTPChunk], tag: UInt32) {
        let packet = SCTPPacket(sourcePort: configuration.localPort, destinationPort: configuration.remotePort,
                                verificationTag: tag, chunks: chunks)
        statistics.packetsSent += 1
        outputs.append(.transmit(Datagram(source: local, destination: remote, transport: .dtls, payload: packet.encoded)))
    }

    /// Ends the association: every timer stops, later input is ignored.
    mutating func fail(_ failure: SCTPFailure) {
        state = .failed
        ended = true
        timers.stopAll()
        outputs.append(.event(.failed(failure)))
    }

    /// Aborts because the peer broke the protocol (§3.3.10.13).
    mutating func abortForViolation(_ reason: String) {
        let cause = SCTPErrorCause.protocolViolation(reason)
        transmit([.abort(reflected: false, causes: [cause])], tag: peerTag)
        fail(.aborted(cause))
    }
}
