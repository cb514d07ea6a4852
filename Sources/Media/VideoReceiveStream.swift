import NetTypes
import RTP

/// The receiving side of loss recovery for one video stream: frame assembly, NACK
/// generation, the jitter buffer, key frame requests and render statistics. Packets come
/// in with their arrival time (RTX packets restored to the originals); RTCP feedback to send
/// comes out of `takeFeedback()`; `nextDeadline` says when `handleTimeout` has work.
struct VideoReceiveStream: Sendable {
    let configuration: RecoveryConfiguration
    let mediaSSRC: UInt32
    let receiverSSRC: UInt32
    let frameMarkingID: UInt8
    let absoluteSendTimeID: UInt8
    private let start: Instant
    private var sequences = SequenceUnwrapper(bits: 16)
    private var nack: NackTracker
    private var assembler = FrameAssembler()
    private var buffer: JitterBuffer
    private var render = RenderStatistics()
    private var counts = VideoReceptionMetrics()
    private var first: Int64?
    private var highest: Int64 = 0
    /// Skipped sequence numbers not received since.
    private var missing: Set<Int64> = []
    /// With FEC: when each missing packet was found missing; a repair may rebuild it
    /// within the repair window, so playout waits that long before giving up on it
    /// (RFC 8627 §1.1: no decoding failure before the repair window has passed).
    private var awaitingRepair: [Int64: Instant] = [:]
    private var partialFramesDropped = 0
    /// A key frame is needed (the decoder gave up, or delta frames came without one).
    private var needsKeyFrame = false
    private var lastKeyFrameRequest: Instant?
    private var feedback: [RTCPPacket] = []

    init(configuration: RecoveryConfiguration, mediaSSRC: UInt32, receiverSSRC: UInt32, stream: RTPStreamConfiguration, start: Instant) {
        self.configuration = configuration
        self.mediaSSRC = mediaSSRC
        self.receiverSSRC = receiverSSRC
        frameMarkingID = stream.frameMarkingID
        absoluteSendTimeID = stream.absoluteSendTimeID
        self.start = start
        nack = NackTracker(maxRetries: configuration.maxNackRetries, maxAge: configuration.maxNackAge, delay: configuration.nackDelay)
        buffer = JitterBuffer(configuration: configuration.jitterBuffer)
    }

    var metrics: VideoReceptionMetrics {
        var m = counts
        m.packetsExpected = first.map { Int(highest - $0 + 1) } ?? 0
        m.packetsUnrecovered = missing.count
        m.framesRendered = render.framesRendered
        m.framesDropped = buffer.framesDropped + partialFramesDropped
        m.freezeCount = render.freezeCount
        m.freezeDuration = render.freezeDuration
        m.timeToFirstFrame = render.firstRender.map { $0 - start }
        m.frameDelay = render.frameDelay
        return m
    }

    /// A video packet arrived (a retransmission restored from RTX as the original), or was
    /// rebuilt from FEC (`recovered`).
    mutating func receive(_ packet: RTPPacket, now: Instant, recovered: Bool = false) {
        let sequence = sequences.unwrap(UInt32(packet.sequenceNumber))
        var late = false
        if first == nil {
            first = sequence
            highest = sequence
            if recovered { counts.packetsRecoveredByFEC += 1 }
        } else if sequence > highest {
            for skipped in highest + 1..<sequence {
                missing.insert(skipped)
                if configuration.fec != nil { awaitingRepair[skipped] = now }
            }
            highest = sequence
            if recovered { counts.packetsRecoveredByFEC += 1 }
        } else if missing.remove(sequence) != nil {
            awaitingRepair[sequence] = nil
            counts.packetsRecovered += 1
            if recovered { counts.packetsRecoveredByFEC += 1 }
            late = true
        }
        if configuration.nack { nack.onPacket(sequence, now: now, recovered: recovered) }
        if packet.payload.isEmpty {
            buffer.notePadding(sequence)
        } else if let data = packet.extensions?[frameMarkingID], let marking = FrameMarking(data: data) {
            let sent = packet.extensions?[absoluteSendTimeID].flatMap(AbsoluteSendTime.value).map { now - AbsoluteSendTime.age(of: $0, at: now) }
            if let frame = assembler.insert(sequence: sequence, timestamp: packet.timestamp, marking: marking, sent: sent, late: late, now: now) {
                if buffer.waitingForKeyFrame, !frame.isKeyFrame { needsKeyFrame = true }
                buffer.insert(frame)
            }
        }
        handleTimeout(now: now)
    }

    mutating func handleTimeout(now: Instant) {
        if configuration.nack {
            requestMissing(now: now)
            // libwebrtc's jitter estimator adds the RTT once 3 NACKs were sent (kNackLimit).
            if counts.nacksSent >= Self.nackLimit { buffer.retransmissionDelay = nack.roundTripTime }
        }
        playOut(now: now)
        if configuration.keyFrameRequests, needsKeyFrame, buffer.waitingForKeyFrame,
           lastKeyFrameRequest.map({ now - $0 >= keyFrameRequestInterval }) ?? true {
            lastKeyFrameRequest = now
            counts.pliSent += 1
            feedback.append(.pictureLossIndication(PictureLossIndication(senderSSRC: receiverSSRC, mediaSSRC: mediaSSRC)))
        }
    }

    /// When `handleTimeout` next has work.
    var nextDeadline: Instant {
        var next = buffer.nextPlayout
        if let blocked = buffer.blockedFrame, !isRecovering(before: blocked) {
            next = min(next, max(buffer.playoutTime(of: blocked), repairDeadline(before: blocked) ?? .zero))
        }
        if configuration.nack { next = min(next, nack.nextDeadline) }
        if configuration.keyFrameRequests, needsKeyFrame, buffer.waitingForKeyFrame, let last = lastKeyFrameRequest {
            next = min(next, last + keyFrameRequestInterval)
        }
        return next
    }

    static let nackLimit = 3

    /// RTCP packets to send, oldest first.
    mutating func takeFeedback() -> [RTCPPacket] {
        defer { feedback.removeAll() }
        return feedback
    }

    /// A PLI is repeated while no key frame comes, every max(200 ms, 2 × RTT)
    /// (libwebrtc re-requests after 200 ms without a key frame).
    private var keyFrameRequestInterval: Duration { max(.milliseconds(200), nack.roundTripTime * Int64(2)) }

    private mutating func requestMissing(now: Instant) {
        let due = nack.due(now: now)
        guard !due.isEmpty else { return }
        counts.nacksSent += 1
        counts.packetsNacked += due.count
        let lost = due.map { UInt16(truncatingIfNeeded: $0) }
        feedback.append(.nack(GenericNACK(senderSSRC: receiverSSRC, mediaSSRC: mediaSSRC, lost: lost)))
    }

    /// Whether a packet missing between the last decoded frame and `frame` is still being NACKed.
    private func isRecovering(before frame: AssembledFrame) -> Bool {
        configuration.nack && nack.isPending(in: (buffer.continuity ?? .min) + 1..<frame.firstSequence)
    }

    /// With FEC, until when a packet missing between the last decoded frame and `frame`
    /// may still be rebuilt (nil: none is awaited).
    private func repairDeadline(before frame: AssembledFrame) -> Instant? {
        guard let window = configuration.fec?.repairWindow, !awaitingRepair.isEmpty else { return nil }
        let gap = (buffer.continuity ?? .min) + 1..<frame.firstSequence
        return awaitingRepair.filter { gap.contains($0.key) }.values.max().map { $0 + window }
    }

    /// Renders the frames due, and gives up on a missing frame once a later frame is due
    /// and no retransmission can still bring it.
    private mutating func playOut(now: Instant) {
        while true {
            while let frame = buffer.pop(now: now) {
                render.render(at: now, captured: frame.sent)
                partialFramesDropped += assembler.discard(before: frame.firstSequence)
                if configuration.nack { nack.clear(through: frame.lastSequence) }
                if !awaitingRepair.isEmpty { awaitingRepair = awaitingRepair.filter { $0.key > frame.lastSequence } }
                if frame.isKeyFrame { needsKeyFrame = false }
            }
            guard let blocked = buffer.blockedFrame, buffer.playoutTime(of: blocked) <= now, !isRecovering(before: blocked),
                  repairDeadline(before: blocked).map({ $0 <= now }) ?? true else { return }
            buffer.waitForKeyFrame()
            needsKeyFrame = true
        }
    }
}
