import NetTypes

/// One TCP connection (RFC 9293) as a sans-IO core.
///
/// Feed it the datagrams addressed to `local` from `remote` (transport `.tcp`, payload a
/// TCP segment) with `handle(_:now:)`, its deadline with `handleTimeout(now:)`, and the
/// application's calls (`connect`, `send`, `receive`, `close`, `abort`); drain
/// `pollOutput()` after each for segments to send, events and the next deadline.
///
/// Implemented: the states and transitions of RFC 9293 §3.3.2 and §3.10 (simultaneous
/// open and close, TIME-WAIT), RFC 5961's RST and SYN checks, MSS, window scaling and
/// timestamps with RTTM and PAWS (RFC 7323), SACK (RFC 2018) with RFC 6675 loss recovery,
/// the RTO of RFC 6298 with Karn's algorithm, fast retransmit and NewReno recovery
/// (RFC 5681, RFC 6582), delayed ACKs, flow control with zero-window probing, Nagle,
/// and a pluggable congestion controller (NewReno, CUBIC). The ISN comes from the
/// generator handed in, never from a clock.
public struct TCPConnection: SansIOCore {
    public typealias Event = TCPEvent

    /// This end's address and port.
    public let local: Endpoint
    /// The peer's address and port (for a listening connection, set by the SYN).
    public internal(set) var remote: Endpoint
    public let configuration: TCPConfiguration
    /// The MSS this end advertises (`advertisedMSS(local:configuration:)`), read on every
    /// segment received.
    let advertisedMSS: Int
    /// The RFC 9293 state.
    public internal(set) var state: TCPState
    public internal(set) var statistics = TCPStatistics()
    /// The round-trip estimator and RTO.
    public internal(set) var rtt: RTOEstimator
    /// The congestion controller.
    public internal(set) var congestion: TCPCongestionController
    /// Selective acknowledgments received (sender side).
    public internal(set) var scoreboard = SACKScoreboard()

    var rng: Xoshiro256
    var timers = TimerTable<TCPTimer>()
    var outputs = OutputQueue<TCPEvent>()
    /// Opened by `init(listeningOn:)`: an RST in SYN-RECEIVED returns it to LISTEN.
    let passive: Bool

    // MARK: Send sequence space (RFC 9293 §3.3.1)
    var iss = TCPSequence(0)
    var sndUna = TCPSequence(0)
    var sndNxt = TCPSequence(0)
    /// The highest sequence number sent plus one (sndNxt falls back to SND.UNA after an RTO).
    var sndMax = TCPSequence(0)
    var sndWnd = 0
    var sndWl1 = TCPSequence(0)
    var sndWl2 = TCPSequence(0)
    var maxSndWnd = 0
    var sendBuffer = TCPSendBuffer(start: TCPSequence(0))
    /// The application closed: a FIN follows the data in the send buffer.
    var finQueued = false
    /// The shift applied to the peer's window fields, and to ours (RFC 7323 §2.3).
    var sendShift: UInt8 = 0
    var receiveShift: UInt8 = 0
    /// Both SYNs carried the window-scale option (RFC 7323 §2.2).
    var windowScaleAgreed = false
    /// Payload octets per segment (RFC 9293 §3.7.1 Eff.snd.MSS less the timestamp option).
    var sendMSS = 536

    // MARK: Receive sequence space
    var irs = TCPSequence(0)
    var rcvNxt = TCPSequence(0)
    /// RCV.NXT + RCV.WND as last advertised: never moved left (RFC 9293 §3.8.6).
    var rcvEdge = TCPSequence(0)
    /// In-order octets not yet read: the data of the segments that brought them, kept
    /// as slices (segments of 512 octets or more) rather than copied.
    var received = TCPChunkQueue(gatherLimit: 512)
    var reassembly = TCPReassemblyQueue()
    /// The peer's FIN, when it arrived ahead of missing data.
    var peerFIN: TCPSequence?
    var peerFINReceived = false
    /// Octets received since the last ACK sent (delayed ACK, RFC 5681 §4.2).
    var unackedReceived = 0

    // MARK: Options
    var sackEnabled = false
    var timestampsEnabled = false
    /// TS.Recent and Last.ACK.sent (RFC 7323 §4.3).
    var tsRecent: UInt32 = 0
    var lastAckSent = TCPSequence(0)
    /// Added to the millisecond clock in TSval, so that TSval does not reveal uptime.
    var tsOffset: UInt32 = 0

    // MARK: Timing and recovery
    /// The segment being timed for an RTT sample without timestamps (Karn: only data
    /// never retransmitted).
    var timedSegment: (sequence: TCPSequence, sentAt: Instant)?
    /// Consecutive expiries of the retransmission timer.
    var retransmissionCount = 0
    var persistBackoff = 0
    /// The end of the last zero-window probe: an ACK may cover it although SND.MAX does not.
    var windowProbeEnd: TCPSequence?
    var duplicateAcks = 0
    var inRecovery = false
    /// RFC 6582's `recover`: the highest sequence number sent when recovery began.
    var recover = TCPSequence(0)
    /// RFC 6582 §3.2 window inflation (non-SACK recovery), added to cwnd.
    var inflation = 0
    /// RFC 6675 HighRxt: the end of the highest retransmitted octet.
    var highRxt = TCPSequence(0)
    /// The first partial ACK of a recovery resets the RTO (RFC 6582 §4, "Impatient").
    var partialAckSeen = false
    /// Whether the latest partial ACK was the first (and so restarted the RTO).
    var partialAckRestartedTimer = false
    /// The handshake needed a retransmission (RFC 6298 §5.7).
    var handshakeRetransmitted = false
    // MARK: ECN (RFC 3168 §6.1)
    /// Both SYNs agreed to use ECN.
    public internal(set) var ecnEnabled = false
    /// Receiver: a CE mark arrived; ACKs carry ECE until a segment with CWR does.
    var ecnEcho = false
    /// Sender: the window was reduced for ECE; the next new data segment carries CWR.
    var cwrPending = false
    /// Sender: SND.MAX at the last reduction for ECE: no second one until it is
    /// acknowledged (at most one per window of data, §6.1.2).
    var ecnRecover: TCPSequence?
    /// The latest soft ICMP error (RFC 5461 §4.1); cleared when new data is acknowledged.
    public internal(set) var softError: TCPUnreachable?

    /// A connection from `local` to `remote`, CLOSED until `connect(now:)`.
    public init(local: Endpoint, remote: Endpoint, configuration: TCPConfiguration = TCPConfiguration(), rng: Xoshiro256) {
        self.init(local: local, remote: remote, configuration: configuration, rng: rng, state: .closed, passive: false)
    }

    /// A connection in LISTEN on `local` (a passive open): the first SYN sets its peer.
    public init(listeningOn local: Endpoint, configuration: TCPConfiguration = TCPConfiguration(), rng: Xoshiro256) {
        let unspecified = local.address.family == .ipv4 ? IPAddress.v4(IPv4Address(0)) : IPAddress.v6(.any)
        self.init(local: local, remote: Endpoint(unspecified, 0), configuration: configuration, rng: rng,
                  state: .listen, passive: true)
    }

    init(local: Endpoint, remote: Endpoint, configuration: TCPConfiguration, rng: Xoshiro256, state: TCPState, passive: Bool) {
        self.local = local
        self.remote = remote
        self.configuration = configuration
        advertisedMSS = Self.advertisedMSS(local: local, configuration: configuration)
        self.rng = rng
        self.state = state
        self.passive = passive
        rtt = RTOEstimator(initial: configuration.initialRTO, minimum: configuration.minimumRTO, maximum: configuration.maximumRTO)
        congestion = configuration.congestionControl.makeController(
            mss: 536, initialWindow: configuration.initialWindowSegments * 536)
    }

    // MARK: Application calls

    /// Active open (RFC 9293 §3.10.1): sends SYN with this end's options, enters SYN-SENT.
    public mutating func connect(now: Instant) {
        guard state == .closed else { return }
        chooseInitialSequenceNumber()
        state = .synSent
        sendSYN(now: now)
    }

    /// Queues `bytes` for sending (RFC 9293 §3.10.2); returns how many the send buffer
    /// took (none once the connection is closing or closed).
    @discardableResult
    public mutating func send(_ bytes: [UInt8], now: Instant) -> Int {
        guard !finQueued, state.acceptsSends else { return 0 }
        let accepted = min(bytes.count, max(0, configuration.sendBufferSize - sendBuffer.count))
        sendBuffer.append(bytes.prefix(accepted))
        transmit(now: now)
        return accepted
    }

    /// Octets received in order and not yet read.
    public var readableBytes: Int { received.count }

    /// Octets accepted by `send` and not yet acknowledged.
    public var unacknowledgedBytes: Int { sendBuffer.count }

    /// Reads up to `maxBytes` received octets (RFC 9293 §3.10.3), opening the receive
    /// window; a window update goes out when it opened by enough (§3.8.6.2.2).
    public mutating func receive(maxBytes: Int = .max, now: Instant) -> [UInt8] {
        let n = min(maxBytes, readableBytes)
        guard n > 0 else { return [] }
        let bytes = received.takeFirst(n)
        if state.isSynchronized && windowUpdateIsWorthSending { sendAck(now: now) }
        return bytes
    }

    /// Closes the sending direction (RFC 9293 §3.10.4): FIN after the queued data.
    public mutating func close(now: Instant) {
        switch state {
        case .closed: return
        case .listen, .synSent:
            enterClosed(event: .closed)
        case .synReceived:
            finQueued = true  // sent once the handshake completes
        case .established:
            finQueued = true
            state = .finWait1
            transmit(now: now)
        case .closeWait:
            finQueued = true
            state = .lastAck
            transmit(now: now)
        case .finWait1, .finWait2, .closing, .lastAck, .timeWait:
            return
        }
    }

    /// Aborts the connection (RFC 9293 §3.10.5): RST to a synchronized peer, then CLOSED.
    public mutating func abort(now: Instant) {
        if state.isSynchronized && state != .timeWait {
            sendControl(sequence: sndNxt, acknowledgment: nil, flags: .rst, now: now)
        }
        if state != .closed { enterClosed(event: .closed) }
    }

    /// The timer that fires next and its deadline.
    public var nextTimer: (timer: TCPTimer, deadline: Instant)? { timers.nextTimer() }

    // MARK: SansIOCore

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard datagram.transport == .tcp, datagram.destination == local,
              state == .listen || datagram.source == remote,
              let segment = try? TCPSegment(decoding: datagram.payload[...], source: datagram.source.address,
                                           destination: datagram.destination.address),
              segment.sourcePort == datagram.source.port, segment.destinationPort == local.port
        else {
            statistics.malformed += 1
            return
        }
        statistics.segmentsReceived += 1
        noteECN(of: segment, arrivedWith: datagram.ecn)
        process(segment, from: datagram.source, now: now)
        if state != .closed { transmit(now: now) }
    }

    public mutating func handleTimeout(now: Instant) {
        if timers.isDue(.timeWait, at: now) {
            timers.stop(.timeWait)
            enterClosed(event: .closed)
            return
        }
        if timers.isDue(.retransmission, at: now) {
            timers.stop(.retransmission)
            retransmissionTimeout(now: now)
        }
        if timers.isDue(.persist, at: now) {
            timers.stop(.persist)
            probeWindow(now: now)
        }
        if timers.isDue(.delayedAck, at: now) {
            timers.stop(.delayedAck)
            sendAck(now: now)
        }
    }

    public mutating func pollOutput() -> CoreOutput<TCPEvent> {
        outputs.next() ?? .timeout(timers.next)
    }

    // MARK: Shared helpers

    mutating func chooseInitialSequenceNumber() {
        iss = TCPSequence(configuration.initialSequenceNumber ?? UInt32(truncatingIfNeeded: rng.next()))
        tsOffset = UInt32(truncatingIfNeeded: rng.next())
        sndUna = iss
        sndNxt = iss + 1
        sndMax = sndNxt
        recover = iss
        highRxt = iss
        sendBuffer = TCPSendBuffer(start: iss + 1)
    }

    /// Enters CLOSED: every timer stopped, `event` reported.
    mutating func enterClosed(event: TCPEvent) {
        state = .closed
        timers.stopAll()
        outputs.append(.event(event))
    }

    /// The sequence number of our FIN (after the last octet of data), once closing.
    var finSequence: TCPSequence? { finQueued ? sendBuffer.end : nil }

    /// Whether our FIN has been sent, and whether the peer acknowledged it.
    var finSent: Bool { finSequence.map { $0 < sndMax } ?? false }
    var finAcknowledged: Bool { finSequence.map { $0 < sndUna } ?? false }

    /// The MSS this end advertises: the configured bound, or less when the MTU leaves
    /// less room after the IP and TCP headers (RFC 9293 §3.7.1).
    static func advertisedMSS(local: Endpoint, configuration: TCPConfiguration) -> Int {
        let headers = (local.address.family == .ipv4 ? 20 : 40) + TCPSegment.headerLength
        return max(1, min(configuration.maximumSegmentSize, configuration.mtu - headers))
    }

    /// Bytes in flight (RFC 5681 FlightSize): sent and not yet acknowledged.
    var flightSize: Int { sndMax - sndUna }

    /// The millisecond timestamp clock (RFC 7323 §5.4: 1 ms ticks).
    func timestampValue(_ now: Instant) -> UInt32 {
        UInt32(truncatingIfNeeded: now.nanoseconds / 1_000_000) &+ tsOffset
    }
}
