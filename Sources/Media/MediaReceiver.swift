import Congestion
import NetTypes
import RTP

/// The receiving end of a synthetic call as a sans-IO core: records every RTP arrival,
/// returns per-packet feedback (transport-wide or RFC 8888) every `feedbackInterval` —
/// or, with `feedback: remb`, REMB from its own delay-based estimate
/// (`RemoteBitrateEstimator`) — and RR + SDES every `reportInterval` to `remote`, and
/// measures per-packet one-way delay (from abs-send-time), the queuing delay estimate,
/// loss and the received rate.
///
/// Call `start(now:)` once; then the usual `handle`/`handleTimeout`/`pollOutput` loop.
public struct MediaReceiver: SansIOCore {
    public typealias Event = Never

    /// Where the receiver listens and answers, and its RTCP identity and timers.
    public struct Configuration: Sendable {
        /// The endpoint media arrives on (RTP and RTCP multiplexed).
        public var local: Endpoint
        /// The sender's endpoint: feedback and reports go there.
        public var remote: Endpoint
        /// The receiver's own SSRC (sender of RR and feedback).
        public var ssrc: UInt32 = 0x5245_4300
        public var cname = "icelab-receiver"
        /// Extension ids and payload types agreed with the sender.
        public var stream = RTPStreamConfiguration()
        /// The per-packet feedback the receiver sends (none: receiver reports only).
        public var feedback = CongestionFeedbackKind.transportCC
        /// Feedback interval, for both formats (libwebrtc's transport feedback generator
        /// sends every 50-250 ms, remote_estimator_proxy.cc kMinInterval 50 ms; RFC 8888
        /// §3.1 leaves the interval to the congestion controller, and icelab keeps the
        /// same 50 ms so that the two formats compare on their content alone).
        public var feedbackInterval = Duration.milliseconds(50)
        /// Receiver report interval.
        public var reportInterval = Duration.seconds(1)
        /// Sampling interval of the rate and loss series.
        public var metricsInterval = Duration.milliseconds(100)
        /// Loss recovery of the video stream `videoSSRC` (nil: none), with RTX from `rtxSSRC`
        /// and FlexFEC repairs from `fecSSRC`.
        public var recovery: RecoveryConfiguration?
        public var videoSSRC: UInt32?
        public var rtxSSRC: UInt32 = 0x5254_5800
        public var fecSSRC: UInt32 = 0x4645_4300

        /// The receiver that answers `sender`: media arrives on the sender's remote
        /// endpoint, feedback and reports go back to its local one, and the stream settings
        /// (extension ids, payload types) are the ones agreed with it.
        public init<Controller>(answering sender: MediaSender<Controller>.Configuration) {
            local = sender.remote
            remote = sender.local
            stream = sender.stream
            feedback = sender.feedback
            recovery = sender.recovery
            videoSSRC = sender.video == nil ? nil : sender.videoSSRC
            rtxSSRC = sender.rtxSSRC
            fecSSRC = sender.fecSSRC
        }
    }

    public let configuration: Configuration
    /// What the receiver measured so far.
    public private(set) var metrics = ReceiverMetrics()
    /// Datagrams that were neither valid RTP nor valid RTCP.
    public private(set) var malformed = 0
    /// RTP packets received.
    public private(set) var packetsReceived = 0
    /// RTP packets that arrived with the IP ECN field CE: marked by a queue on the path
    /// (RFC 3168 §5).
    public private(set) var congestionExperienced = 0
    /// Sources that said goodbye (RTCP BYE); receiver reports no longer cover them.
    public private(set) var endedSources: Set<UInt32> = []
    /// Loss recovery and frame-level figures of the video stream; nil without recovery.
    public var videoMetrics: VideoReceptionMetrics? { video?.metrics }
    /// Packets expected and lost so far over every source, ended ones included: the sum
    /// of what receiver reports give as extended highest sequence − first sequence + 1 and
    /// cumulative number of packets lost (RFC 3550 §6.4.1).
    public var lossCount: PacketLossCount { streams.values.reduce(endedLossCount) { $0 + $1.lossCount } }

    private var feedback: TransportFeedbackBuilder
    private var remoteEstimator = RemoteBitrateEstimator()
    /// The last REMB sent: when and with which rate.
    private var lastREMB: (time: Instant, bps: Int64)?
    private var congestionFeedback: CongestionFeedbackBuilder
    private var streams: [UInt32: ReceptionStatistics] = [:]
    /// Frame assembly, NACK, jitter buffer and PLI for the video stream (with recovery).
    private var video: VideoReceiveStream?
    /// FlexFEC recovery of the video stream (with `recovery.fec`).
    private var fec: FlexFECDecoder?
    /// FlexFEC packets that failed to decode or use a variant receivers ignore (RFC 8627 §4.2.2).
    public private(set) var fecMalformed = 0
    /// Packets FEC rebuilt since `takeRecovered()` last ran: their sequence numbers and
    /// payload sizes, for goodput counters outside the core (RFC 8868 §3 counts what
    /// repair restored).
    private var recoveredSinceTaken: [(sequenceNumber: UInt16, payloadSize: Int)] = []
    private var lastSenderReports: [UInt32: (compact: UInt32, arrival: Instant)] = [:]
    /// What sources that said goodbye had counted when they did.
    private var endedLossCount = PacketLossCount()
    private var lossCountAtLastSample = PacketLossCount()
    private var minOneWayDelay = Duration(nanoseconds: .max)
    private var receivedWindow = RateWindow(span: .milliseconds(500))
    private var outputs = DatagramQueue()
    private var started = false
    private var timers = TimerTable<Timer>()

    /// The receiver's timers.
    private enum Timer: Int, CaseIterable {
        /// Transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions §3.1).
        case feedback
        /// RTCP receiver reports (RFC 3550 §6.2).
        case report
        /// The next sample of the metric series.
        case metrics
        /// The video stream's next NACK, playout or key frame request.
        case video
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
        feedback = TransportFeedbackBuilder(senderSSRC: configuration.ssrc, mediaSSRC: 0)
        congestionFeedback = CongestionFeedbackBuilder(senderSSRC: configuration.ssrc)
    }

    /// Starts feedback, reports and metrics at `now`.
    public mutating func start(now: Instant) {
        guard !started else { return }
        started = true
        if configuration.feedback.isPerPacket { timers[.feedback] = now + configuration.feedbackInterval }
        timers[.report] = now + configuration.reportInterval
        timers[.metrics] = now
        if let recovery = configuration.recovery, let ssrc = configuration.videoSSRC {
            video = VideoReceiveStream(configuration: recovery, mediaSSRC: ssrc, receiverSSRC: configuration.ssrc,
                                       stream: configuration.stream, start: now)
            if let protection = recovery.fec { fec = FlexFECDecoder(ssrc: ssrc, repairWindow: protection.repairWindow) }
        }
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        let bytes = datagram.payload
        if RTPPacket.isRTCP(bytes) {
            guard let packets = try? RTCPPacket.decodeCompound(bytes) else { malformed += 1; return }
            for packet in packets {
                switch packet {
                case .senderReport(let report):
                    lastSenderReports[report.ssrc] = (UInt32(truncatingIfNeeded: report.ntpTimestamp >> 16), now)
                case .goodbye(let bye):
                    endedSources.formUnion(bye.ssrcs)
                    for ssrc in bye.ssrcs {
                        if let ended = streams.removeValue(forKey: ssrc) { endedLossCount = endedLossCount + ended.lossCount }
                    }
                default: break
                }
            }
            return
        }
        guard let packet = try? RTPPacket(decoding: bytes) else { malformed += 1; return }
        guard !endedSources.contains(packet.ssrc) else { return }
        packetsReceived += 1
        if datagram.ecn == .ce { congestionExperienced += 1 }
        receivedWindow.add(bytes.count, at: now)
        let stream = configuration.stream
        if video != nil { receiveVideo(packet, bytes: bytes, now: now) }
        if video == nil || (packet.ssrc != configuration.rtxSSRC && (fec == nil || packet.ssrc != configuration.fecSSRC)) {
            streams[packet.ssrc, default: ReceptionStatistics(clockRate: stream.clockRate(of: packet.payloadType))]
                .record(sequence: packet.sequenceNumber, timestamp: packet.timestamp, arrival: now)
        }
        switch configuration.feedback {
        case .transportCC:
            if let data = packet.extensions?[stream.transportSequenceNumberID], let sequence = TransportSequenceNumber.value(data) {
                feedback.record(sequence: sequence, arrival: now)
            }
        case .ccfb:
            congestionFeedback.record(ssrc: packet.ssrc, sequence: packet.sequenceNumber, arrival: now, ecn: datagram.ecn)
        case .remb, .none:
            break
        }
        if let data = packet.extensions?[stream.absoluteSendTimeID], let field = AbsoluteSendTime.value(data) {
            if configuration.feedback == .remb,
               let estimate = remoteEstimator.onPacket(arrival: now, absoluteSendTime: field, size: bytes.count) {
                sendREMB(estimate, now: now)
            }
            let delay = AbsoluteSendTime.age(of: field, at: now)
            minOneWayDelay = min(minOneWayDelay, delay)
            metrics.oneWayDelay.append(delay.milliseconds, at: now)
            metrics.queuingDelay.append((delay - minOneWayDelay).milliseconds, at: now)
        }
    }

    public mutating func handleTimeout(now: Instant) {
        if timers.isDue(.video, at: now), video != nil {
            video?.handleTimeout(now: now)
            sendVideoFeedback()
        }
        if timers.isDue(.feedback, at: now) {
            if configuration.feedback == .ccfb {
                if let report = congestionFeedback.build(now: now) { send([.congestionFeedback(report)]) }
            } else {
                for packet in feedback.build(now: now) { send([.transportFeedback(packet)]) }
            }
            timers[.feedback] = timers[.feedback] + configuration.feedbackInterval
        }
        if timers.isDue(.report, at: now) {
            sendReport(now: now)
            timers[.report] = timers[.report] + configuration.reportInterval
        }
        if timers.isDue(.metrics, at: now) {
            recordSample(now: now)
            timers[.metrics] = timers[.metrics] + configuration.metricsInterval
        }
    }

    public mutating func pollOutput() -> CoreOutput<Never> {
        if let datagram = outputs.next() { return .transmit(datagram) }
        return .timeout(timers.next)
    }

    /// Hands a video packet, or the original an RTX packet carries (RFC 4588 §4; RTX
    /// padding carries none), to the video stream, and with FEC the packets repairs
    /// rebuild. RTX and FEC packets stay out of the reception statistics of the original
    /// stream, as RTX does in libwebrtc.
    private mutating func receiveVideo(_ packet: RTPPacket, bytes: [UInt8], now: Instant) {
        guard let ssrc = configuration.videoSSRC else { return }
        var media = packet
        if fec != nil, packet.ssrc == configuration.fecSSRC {
            switch try? FlexFECPayload(decoding: packet) {
            case .repair(let repair)?: receiveRecovered(fec?.receiveRepair(repair, now: now) ?? [], now: now)
            case .retransmission(let original)? where original.ssrc == ssrc: video?.receive(original, now: now)
            case .retransmission?: break
            case nil: fecMalformed += 1
            }
            sendVideoFeedback()
            return
        }
        if packet.ssrc == configuration.rtxSSRC {
            guard !packet.payload.isEmpty,
                  let original = try? RetransmissionPacket.decapsulate(packet, ssrc: ssrc, payloadType: configuration.stream.videoPayloadType)
            else { return }
            media = original
        }
        guard media.ssrc == ssrc else { return }
        video?.receive(media, now: now)
        // The decoder takes packets as they were sent: first transmissions in the stream
        // itself (an RTX packet's original is rebuilt with the RTX packet's extensions).
        if fec != nil, packet.ssrc == ssrc {
            receiveRecovered(fec?.receiveSource(bytes, sequenceNumber: packet.sequenceNumber, now: now) ?? [], now: now)
        }
        sendVideoFeedback()
    }

    /// The packets FEC rebuilt since the last call (`recoveredSinceTaken`), forgotten.
    public mutating func takeRecovered() -> [(sequenceNumber: UInt16, payloadSize: Int)] {
        defer { recoveredSinceTaken.removeAll(keepingCapacity: true) }
        return recoveredSinceTaken
    }

    /// Hands packets FEC rebuilt to the video stream.
    private mutating func receiveRecovered(_ recovered: [[UInt8]], now: Instant) {
        for bytes in recovered {
            guard let packet = try? RTPPacket(decoding: bytes) else { fecMalformed += 1; continue }
            recoveredSinceTaken.append((packet.sequenceNumber, packet.payload.count))
            video?.receive(packet, now: now, recovered: true)
        }
    }

    /// Sends the video stream's NACKs and PLIs (each alone, RFC 5506 reduced size, as the
    /// transport-wide feedback) and re-arms its timer.
    private mutating func sendVideoFeedback() {
        for packet in video?.takeFeedback() ?? [] { send([packet]) }
        timers[.video] = video?.nextDeadline ?? .distantFuture
    }

    /// Announces `estimate` for every source (libwebrtc remb_throttler.cc): at once when it
    /// is more than 3 % below the last one sent (kSendThresholdPercent 103), otherwise at
    /// most every 200 ms (kRembSendInterval).
    private mutating func sendREMB(_ estimate: Bitrate, now: Instant) {
        if let last = lastREMB, estimate.bitsPerSecond * 103 / 100 > last.bps, now < last.time + Self.rembInterval { return }
        lastREMB = (now, estimate.bitsPerSecond)
        let remb = ReceiverEstimatedMaxBitrate(senderSSRC: configuration.ssrc, bitrate: UInt64(max(estimate.bitsPerSecond, 0)),
                                               ssrcs: streams.keys.sorted())
        send([.receiverEstimatedMaxBitrate(remb)])
    }

    /// Least spacing of REMB messages that do not announce a drop (remb_throttler.cc kRembSendInterval).
    static let rembInterval = Duration.milliseconds(200)

    /// RR with a block per source, then SDES (RFC 3550 §6.1 compound).
    private mutating func sendReport(now: Instant) {
        guard !streams.isEmpty else { return }
        var blocks: [ReportBlock] = []
        for ssrc in streams.keys.sorted() {
            blocks.append(streams[ssrc]!.reportBlock(ssrc: ssrc, lastSenderReport: lastSenderReports[ssrc], now: now))
        }
        send([.receiverReport(ReceiverReport(ssrc: configuration.ssrc, reportBlocks: blocks)),
              .sourceDescription(SourceDescription(ssrc: configuration.ssrc, cname: configuration.cname))])
    }

    private mutating func recordSample(now: Instant) {
        metrics.receivedRate.append(receivedWindow.rate(at: now), at: now)
        let count = lossCount
        if let fraction = (count - lossCountAtLastSample).fraction { metrics.lossFraction.append(fraction, at: now) }
        lossCountAtLastSample = count
    }

    private mutating func send(_ packets: [RTCPPacket]) {
        outputs.append(Datagram(source: configuration.local, destination: configuration.remote, payload: RTCPPacket.encodeCompound(packets)))
    }
}
