import Congestion
import NetTypes
import RTP

/// The sending end of a synthetic call as a sans-IO core: a video and an audio source,
/// packetization into RTP, a pacer, and a congestion controller fed by transport-wide
/// feedback. It sends RTP and RTCP (SR + SDES) multiplexed on one 5-tuple (RFC 5761)
/// from `local` to `remote`, so a driver — the simulator, a live socket, a scenario
/// runner on an ICE-selected pair — only has to move datagrams between two endpoints.
///
/// Call `start(now:)` once, then the usual `handle`/`handleTimeout`/`pollOutput` loop;
/// `stop(now:)` ends the call with RTCP BYE.
public struct MediaSender<Controller: CongestionController>: SansIOCore {
    public typealias Event = Never

    /// Where the sender sends from and to, what it sends, and its RTCP identity and timers.
    public struct Configuration: Sendable {
        /// The endpoint media leaves from and feedback arrives on.
        public var local: Endpoint
        /// The receiver's endpoint.
        public var remote: Endpoint
        /// nil: no video.
        public var video: VideoSource.Configuration? = VideoSource.Configuration()
        /// nil: no audio.
        public var audio: AudioSource? = AudioSource()
        public var videoSSRC: UInt32 = 0x5649_4400
        public var audioSSRC: UInt32 = 0x4155_4400
        public var cname = "icelab-sender"
        /// Extension ids and payload types agreed with the receiver.
        public var stream = RTPStreamConfiguration()
        /// Largest RTP packet (1200 bytes, libwebrtc's default: fits any path MTU with room for SRTP and TURN).
        public var maxPacketSize = 1200
        /// Sender report interval (WebRTC sends RTCP about once a second for video).
        public var reportInterval = Duration.seconds(1)
        /// Sampling interval of the rate series.
        public var metricsInterval = Duration.milliseconds(100)
        /// The feedback the receiver returns (`none`: the controller gets loss from
        /// receiver reports only, `onLossReport`; `remb`: that and the receiver's
        /// estimate, `onReceiverEstimate`).
        public var feedback = CongestionFeedbackKind.transportCC
        /// The IP ECN field of RTP packets (RFC 6679 §7.1: ECT(0), or ECT(1) for L4S,
        /// RFC 9331, marks media ECN-capable; RTCP goes Not-ECT either way).
        public var ecn = ECNCodepoint.notECT
        /// Bytes each RTP packet costs on the wire below RTP — IP and UDP headers, the
        /// SRTP tag, TURN framing — added to the size the controller and the sent and
        /// acknowledged rates count (libwebrtc's per-packet transport overhead,
        /// `RtpTransportControllerSend::OnTransportOverheadChanged`). 0: RTP bytes only.
        public var transportOverhead = 0
        /// Loss recovery for video (nil: none — no frame marking, no packet history; PLI and
        /// FIR are honoured either way).
        public var recovery: RecoveryConfiguration?
        /// The SSRC of the video's RTX stream (RFC 4588 §8, session multiplexing).
        public var rtxSSRC: UInt32 = 0x5254_5800
        /// The SSRC of the video's FlexFEC repair stream (RFC 8627 §4.2.1; with `recovery.fec`).
        public var fecSSRC: UInt32 = 0x4645_4300

        public init(local: Endpoint, remote: Endpoint) {
            self.local = local
            self.remote = remote
        }
    }

    public let configuration: Configuration
    /// The congestion controller, for inspection (its state is the sender's to change).
    public private(set) var controller: Controller
    /// What the sender recorded so far.
    public private(set) var metrics = SenderMetrics()
    /// RTCP datagrams that failed to decode.
    public private(set) var malformed = 0

    private var video: VideoSource?
    private var videoPacketizer: Packetizer?
    private var audioPacketizer: Packetizer?
    private var pacer: Pacer<OutgoingPacket>
    private var history = SentPacketHistory()
    /// Video packets kept for NACK (empty unless `recovery.nack`).
    private var retransmissions = RetransmissionHistory()
    /// FlexFEC repairs of the video (with `recovery.fec`).
    private var fec: FECGenerator?
    /// The header extensions of repair packets: abs-send-time and the transport-wide
    /// sequence number, so that feedback covers them and the controller counts them.
    private let repairExtensions: RTPHeaderExtensions
    /// The last RTT from receiver reports (libwebrtc assumes 100 ms until it knows).
    private var roundTripTime = Duration.milliseconds(100)
    /// When a PLI or FIR last made the next frame a key frame, and the last FIR's number.
    private var lastKeyFrameRequest: Instant?
    private var lastFIRSequence: UInt8?
    private var sequenceNumbers: [UInt32: UInt16] = [:]
    private var counts: [UInt32: (packets: UInt32, octets: UInt32)] = [:]
    /// Per source, the last receiver report's cumulative loss and extended highest
    /// sequence number (loss for `feedback: none`).
    private var lastReportCounts: [UInt32: (lost: Int32, highest: UInt32)] = [:]
    private var sentWindow = RateWindow(span: .milliseconds(500))
    private var ackedWindow = RateWindow(span: .milliseconds(500))
    private var outputs = DatagramQueue()
    private var now = Instant.zero
    private var started = false
    private var stopped = false
    private var timers = TimerTable<Timer>()

    /// A packet in the pacer: new media, a retransmission — in the RTX stream, or in
    /// the original stream with its original sequence number (`keepsSequenceNumber`) —
    /// or a FlexFEC repair.
    private struct OutgoingPacket: Sendable {
        var packet: RTPPacket
        var isRetransmission = false
        var keepsSequenceNumber = false
        var isRepair = false
    }

    /// The sender's timers; the pacer's next send time is not one of them (it follows
    /// from its queue and rate, so it is asked for at every poll).
    private enum Timer: Int, CaseIterable {
        /// The next video frame of the source.
        case videoFrame
        /// The next audio frame.
        case audioFrame
        /// The controller's periodic processing.
        case process
        /// RTCP sender reports (RFC 3550 §6.2).
        case report
        /// The next sample of the metric series.
        case metrics
    }

    public init(configuration: Configuration, controller: Controller, random: Xoshiro256) {
        self.configuration = configuration
        // Only video pads (libwebrtc pads only streams that support it): the controller
        // decides what that means for probing.
        var controller = controller
        controller.setPaddingAllowed(configuration.video != nil)
        self.controller = controller
        var random = random
        let stream = configuration.stream
        if let videoConfiguration = configuration.video {
            video = VideoSource(configuration: videoConfiguration, startRate: controller.targetRate, random: random)
            videoPacketizer = Packetizer(ssrc: configuration.videoSSRC, payloadType: stream.videoPayloadType, clockRate: 90_000,
                                         maxPacketSize: configuration.maxPacketSize, stream: stream,
                                         timestampOffset: UInt32(truncatingIfNeeded: random.next()), frameMarking: configuration.recovery != nil)
        }
        if configuration.audio != nil {
            audioPacketizer = Packetizer(ssrc: configuration.audioSSRC, payloadType: stream.audioPayloadType, clockRate: 48_000,
                                         maxPacketSize: configuration.maxPacketSize, stream: stream,
                                         timestampOffset: UInt32(truncatingIfNeeded: random.next()))
        }
        let padding = (videoPacketizer ?? audioPacketizer)?.maxPaddingPacketSize ?? 1
        pacer = Pacer(rate: controller.pacingRate, maxPaddingSize: padding)
        if let protection = configuration.recovery?.fec, configuration.video != nil {
            fec = FECGenerator(configuration: protection, ssrc: configuration.videoSSRC)
        }
        repairExtensions = RTPHeaderExtensions(form: .oneByte, elements: [
            .init(id: stream.absoluteSendTimeID, data: [0, 0, 0]), .init(id: stream.transportSequenceNumberID, data: [0, 0]),
        ])
    }

    /// Starts the sources, the controller's process timer and RTCP at `now`.
    public mutating func start(now: Instant) {
        guard !started else { return }
        started = true
        self.now = now
        if video != nil { timers[.videoFrame] = now }
        if configuration.audio != nil { timers[.audioFrame] = now }
        timers[.process] = now
        timers[.report] = now + configuration.reportInterval
        timers[.metrics] = now
        handleTimeout(now: now)
    }

    /// Ends the call at `now`: sources, pacer and timers stop (queued packets are dropped)
    /// and a last SR + SDES + BYE per source (RFC 3550 §6.6) tells the receiver.
    public mutating func stop(now: Instant) {
        guard started, !stopped else { return }
        self.now = now
        stopped = true
        sendReports(goodbye: true)
        pacer = Pacer(rate: pacer.rate, maxPaddingSize: pacer.maxPaddingSize)
        timers.stopAll()
    }

    /// Constrains the call's rate mid-call to `min`...`max` (an application's
    /// `RTCRtpSender.setParameters` with a new `maxBitrate`): the controller's estimate and
    /// target, and the video encoder's bounds (less the audio rate, as the target is split).
    public mutating func setRateConstraints(min: Bitrate, max: Bitrate, now: Instant) {
        self.now = now
        controller.setRateConstraints(min: min, max: max, now: now)
        let audioRate = configuration.audio?.rate.bitsPerSecond ?? 0
        video?.setBounds(min: Bitrate(bitsPerSecond: Swift.max(min.bitsPerSecond - audioRate, 0)),
                         max: Bitrate(bitsPerSecond: Swift.max(max.bitsPerSecond - audioRate, 0)))
        guard started, !stopped else { return }
        applyControllerOutputs()
    }

    @_specialize(where Controller == AnyCongestionController)
    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard !stopped else { return }
        self.now = now
        guard RTPPacket.isRTCP(datagram.payload), let packets = try? RTCPPacket.decodeCompound(datagram.payload) else {
            malformed += 1
            return
        }
        for packet in packets {
            switch packet {
            case .transportFeedback(let feedback): onFeedback(history.results(for: feedback))
            case .congestionFeedback(let feedback): onFeedback(history.results(for: feedback))
            case .receiverEstimatedMaxBitrate(let remb) where configuration.feedback == .remb:
                let rate = Bitrate(bitsPerSecond: Int64(clamping: remb.bitrate))
                metrics.receiverEstimate.append(Double(rate.bitsPerSecond), at: now)
                controller.onReceiverEstimate(rate, now: now)
            case .receiverReport(let report):
                for block in report.reportBlocks where block.lastSenderReport != 0 && counts[block.ssrc] != nil {
                    let units = NTPTime.compact(now) &- block.lastSenderReport &- block.delaySinceLastSenderReport
                    let rtt = NTPTime.duration(compact: units)
                    guard rtt < .seconds(10) else { continue }
                    metrics.roundTripTime.append(rtt.milliseconds, at: now)
                    roundTripTime = rtt
                    controller.onRoundTripTime(rtt, now: now)
                }
                if !configuration.feedback.isPerPacket { onLossReport(report.reportBlocks) }
            case .nack(let nack) where nack.mediaSSRC == configuration.videoSSRC: onNACK(nack)
            case .pictureLossIndication(let pli) where pli.mediaSSRC == configuration.videoSSRC: onKeyFrameRequest()
            case .fullIntraRequest(let fir):
                // RFC 5104 §4.3.1.2: a repeated request (same sequence number) asks for nothing new.
                guard let entry = fir.entries.first(where: { $0.ssrc == configuration.videoSSRC }), entry.sequenceNumber != lastFIRSequence
                else { continue }
                lastFIRSequence = entry.sequenceNumber
                onKeyFrameRequest()
            default: break
            }
        }
        applyControllerOutputs()
        sendPaced()
    }

    @_specialize(where Controller == AnyCongestionController)
    public mutating func handleTimeout(now: Instant) {
        self.now = now
        if timers.isDue(.process, at: now) {
            controller.onProcessInterval(now: now)
            applyControllerOutputs()
            timers[.process] = timers[.process] + controller.processInterval
        }
        if timers.isDue(.videoFrame, at: now), var source = video, let packetizer = videoPacketizer {
            let frame = source.nextFrame(now: now)
            video = source
            for packet in packetizer.packetize(bytes: frame.bytes, capturedAt: now, isKeyFrame: frame.isKeyFrame) {
                pacer.enqueue(OutgoingPacket(packet: packet), size: packet.headerSize + packet.payload.count)
            }
            if frame.isKeyFrame { metrics.keyFrames += 1 }
            timers[.videoFrame] = timers[.videoFrame] + source.frameInterval
        }
        if timers.isDue(.audioFrame, at: now), let audio = configuration.audio, let packetizer = audioPacketizer {
            for packet in packetizer.packetize(bytes: audio.frameBytes, capturedAt: now) {
                pacer.enqueue(OutgoingPacket(packet: packet), size: packet.headerSize + packet.payload.count)
            }
            timers[.audioFrame] = timers[.audioFrame] + audio.frameDuration
        }
        if timers.isDue(.report, at: now) {
            sendReports(goodbye: false)
            timers[.report] = timers[.report] + configuration.reportInterval
        }
        sendPaced()
        if timers.isDue(.metrics, at: now) {
            metrics.targetRate.append(Double(controller.targetRate.bitsPerSecond), at: now)
            metrics.pacingRate.append(Double(pacer.rate.bitsPerSecond), at: now)
            metrics.stableTargetRate.append(Double(controller.stableTargetRate.bitsPerSecond), at: now)
            metrics.sentRate.append(sentWindow.rate(at: now), at: now)
            metrics.ackedRate.append(ackedWindow.rate(at: now), at: now)
            timers[.metrics] = timers[.metrics] + configuration.metricsInterval
        }
    }

    @_specialize(where Controller == AnyCongestionController)
    public mutating func pollOutput() -> CoreOutput<Never> {
        if let datagram = outputs.next() { return .transmit(datagram) }
        guard started, !stopped else { return .timeout(.distantFuture) }
        return .timeout(min(timers.next, pacer.nextSendTime(now: now)))
    }

    /// Packet fates from per-packet feedback: the acknowledged rate, the loss series and the controller.
    private mutating func onFeedback(_ results: [PacketResult]) {
        guard !results.isEmpty else { return }
        var lost = 0
        for result in results {
            if result.isReceived { ackedWindow.add(result.sent.size, at: now) } else { lost += 1 }
        }
        metrics.lossFraction.append(Double(lost) / Double(results.count), at: now)
        controller.onFeedback(results, now: now)
    }

    /// Loss from receiver report blocks about this sender's sources: the change of the
    /// cumulative counts since the previous report (RFC 3550 §6.4.1, A.3).
    private mutating func onLossReport(_ blocks: [ReportBlock]) {
        var lost = 0, expected = 0
        for block in blocks where counts[block.ssrc] != nil {
            if let last = lastReportCounts[block.ssrc] {
                expected += Int(block.extendedHighestSequence &- last.highest)
                lost += Int(block.cumulativeLost - last.lost)
            }
            lastReportCounts[block.ssrc] = (block.cumulativeLost, block.extendedHighestSequence)
        }
        guard expected > 0 else { return }
        let clamped = min(max(lost, 0), expected)
        metrics.lossFraction.append(Double(clamped) / Double(expected), at: now)
        controller.onLossReport(lost: clamped, expected: expected, now: now)
    }

    /// Queues retransmissions of the packets a NACK names that the history still holds and
    /// did not resend within the last RTT (RFC 4585 §6.2.1, RFC 4588 §4).
    private mutating func onNACK(_ nack: GenericNACK) {
        guard let recovery = configuration.recovery, recovery.nack else { return }
        metrics.nacksReceived += 1
        for sequence in nack.lostSequenceNumbers {
            guard let original = retransmissions.retransmission(of: sequence, now: now, roundTripTime: roundTripTime) else { continue }
            let outgoing: OutgoingPacket
            if recovery.rtx {
                let rtx = RetransmissionPacket.encapsulate(original, ssrc: configuration.rtxSSRC,
                                                           payloadType: configuration.stream.rtxPayloadType, sequenceNumber: 0)
                outgoing = OutgoingPacket(packet: rtx, isRetransmission: true)
            } else {
                outgoing = OutgoingPacket(packet: original, isRetransmission: true, keepsSequenceNumber: true)
            }
            pacer.enqueue(outgoing, size: outgoing.packet.headerSize + outgoing.packet.payload.count)
        }
    }

    /// A PLI or FIR: the next video frame is a key frame, unless one was forced less than
    /// max(RTT, 300 ms) ago (libwebrtc's minimum key frame request interval is 300 ms; a
    /// key frame in flight answers requests sent before it arrived).
    private mutating func onKeyFrameRequest() {
        guard video != nil else { return }
        metrics.keyFrameRequests += 1
        if let last = lastKeyFrameRequest, now - last < max(roundTripTime, .milliseconds(300)) { return }
        lastKeyFrameRequest = now
        video?.requestKeyFrame()
    }

    /// Hands the controller's rates to the pacer and the video encoder, and its probes to the pacer.
    private mutating func applyControllerOutputs() {
        controller.onPacerQueue(bytes: pacer.queuedBytes, now: now)
        pacer.setRate(controller.pacingRate, now: now)
        for cluster in controller.takeProbeClusters() { pacer.addProbeCluster(cluster) }
        let audioRate = configuration.audio?.rate.bitsPerSecond ?? 0
        video?.setTarget(Bitrate(bitsPerSecond: max(controller.targetRate.bitsPerSecond - audioRate, 0)), now: now)
    }

    private mutating func sendPaced() {
        while let send = pacer.poll(now: now) {
            switch send {
            case .media(let packet, let cluster): transmit(packet, probeClusterID: cluster)
            case .padding(let bytes, let cluster):
                guard let packetizer = videoPacketizer ?? audioPacketizer else { continue }
                var padding = packetizer.padding(bytes: bytes, at: now)
                if configuration.recovery?.rtx == true, videoPacketizer != nil {
                    // With RTX, padding travels in the RTX stream (as libwebrtc sends it), so
                    // that a lost padding packet leaves no gap in the video's numbering.
                    padding.ssrc = configuration.rtxSSRC
                    padding.payloadType = configuration.stream.rtxPayloadType
                }
                transmit(OutgoingPacket(packet: padding), probeClusterID: cluster)
            }
        }
    }

    /// Numbers and stamps a packet as it leaves the pacer, records it, and sends it.
    private mutating func transmit(_ outgoing: OutgoingPacket, probeClusterID: Int?) {
        var packet = outgoing.packet
        var sequence = packet.sequenceNumber
        if !outgoing.keepsSequenceNumber {
            sequence = sequenceNumbers[packet.ssrc, default: 0]
            sequenceNumbers[packet.ssrc] = sequence &+ 1
            packet.sequenceNumber = sequence
        }
        let transportSequence = history.nextSequence
        packet.extensions?[configuration.stream.absoluteSendTimeID] = AbsoluteSendTime.data(now)
        packet.extensions?[configuration.stream.transportSequenceNumberID] =
            TransportSequenceNumber.data(UInt16(truncatingIfNeeded: transportSequence))
        let bytes = packet.encoded()
        let size = bytes.count + configuration.transportOverhead
        let sent = SentPacket(sequence: transportSequence, size: size, sendTime: now, probeClusterID: probeClusterID,
                              ssrc: packet.ssrc, rtpSequence: sequence)
        history.add(sent)
        controller.onPacketSent(sent)
        sentWindow.add(size, at: now)
        let count = counts[packet.ssrc] ?? (0, 0)
        counts[packet.ssrc] = (count.packets &+ 1, count.octets &+ UInt32(truncatingIfNeeded: packet.payload.count))
        outputs.append(Datagram(source: configuration.local, destination: configuration.remote, payload: bytes, ecn: configuration.ecn))
        if outgoing.isRetransmission {
            metrics.retransmittedPackets += 1
            metrics.retransmittedBytes += size
        } else if outgoing.isRepair {
            metrics.fecPackets += 1
            metrics.fecBytes += size
        } else if packet.ssrc == configuration.videoSSRC {
            if configuration.recovery?.nack == true { retransmissions.add(packet, at: now, roundTripTime: roundTripTime) }
            if fec != nil { protect(bytes, sequenceNumber: sequence, endOfFrame: packet.marker) }
        }
    }

    /// Adds a first transmission of the video, as sent, to the FEC block; queues the
    /// block's repairs once it is complete (in the pacer like retransmissions, so they
    /// cost the controller's rate).
    private mutating func protect(_ bytes: [UInt8], sequenceNumber: UInt16, endOfFrame: Bool) {
        guard let repairs = fec?.add(bytes, sequenceNumber: sequenceNumber, endOfFrame: endOfFrame), !repairs.isEmpty,
              let packetizer = videoPacketizer else { return }
        for repair in repairs {
            let packet = repair.packet(ssrc: configuration.fecSSRC, payloadType: configuration.stream.flexfecPayloadType, sequenceNumber: 0,
                                       timestamp: packetizer.timestamp(at: now), extensions: repairExtensions)
            pacer.enqueue(OutgoingPacket(packet: packet, isRepair: true), size: packet.headerSize + packet.payload.count)
        }
    }

    /// One SR + SDES compound packet per active source (RFC 3550 §6.4.1), with a BYE
    /// appended when the call ends.
    private mutating func sendReports(goodbye: Bool) {
        for (ssrc, packetizer) in [videoPacketizer, audioPacketizer].compactMap({ $0 }).map({ ($0.ssrc, $0) }) {
            guard let count = counts[ssrc] else { continue }
            let report = SenderReport(ssrc: ssrc, ntpTimestamp: NTPTime.timestamp(now), rtpTimestamp: packetizer.timestamp(at: now),
                                      packetCount: count.packets, octetCount: count.octets)
            var packets: [RTCPPacket] = [.senderReport(report), .sourceDescription(SourceDescription(ssrc: ssrc, cname: configuration.cname))]
            if goodbye { packets.append(.goodbye(Goodbye(ssrcs: [ssrc], reason: "call ended"))) }
            let bytes = RTCPPacket.encodeCompound(packets)
            outputs.append(Datagram(source: configuration.local, destination: configuration.remote, payload: bytes))
        }
    }
}
