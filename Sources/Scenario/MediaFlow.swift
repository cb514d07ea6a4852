import Congestion
import Media
import NetTypes
import RTP
import Records
import Simulator

/// One media flow of a session at run time: a `MediaSender` on the sending agent's host and
/// a `MediaReceiver` on the other, each on a `SimCoreBridge` whose datagrams ride the ICE
/// agents' selected pair, and a sampler that records the flow's `FlowSeries` every
/// `sampleInterval` while it runs. Every datagram of the flow passes here, so the exact
/// 200 ms byte counts of RFC 8868 §3 (`FlowIntervalCounters`) and, when asked for, its
/// RTP log (§3.1) are taken here too.
final class MediaFlow {
    typealias Sender = MediaSender<AnyCongestionController>

    static let sampleInterval = Duration.milliseconds(100)

    let spec: MediaSpec
    let index: Int
    let fromOfferer: Bool
    let mediaSSRC: UInt32
    let receiverSSRC: UInt32
    /// The video's RTX stream (used with `recovery: { rtx: true }`).
    let rtxSSRC: UInt32
    /// The video's FlexFEC repair stream (used with `recovery: { fec: flexfec }`).
    let fecSSRC: UInt32
    private(set) var series: FlowSeries
    private(set) var sender: SimCoreBridge<Sender>?
    private(set) var receiver: SimCoreBridge<MediaReceiver>?
    private var sampler: SimTimer?
    private var endpoints: (sender: Endpoint, receiver: Endpoint)?
    private var consumed = (oneWay: 0, queue: 0, frameDelay: 0)
    /// The receiver's loss count at the previous sample, and when that was.
    private var sampledLoss = PacketLossCount()
    private var lastSample: Instant?
    private let simulation: Simulation
    private let capacity: LinkDirection?
    /// From the start until the flow stops.
    private var intervals: FlowIntervalCounters?
    private var goodput: GoodputTracker?
    /// Set before the flow starts to keep its RTP log (RFC 8868 §3.1).
    var recordsRTPLog = false
    /// Every RTP packet the sender sent and the receiver received, in order (with `recordsRTPLog`).
    private(set) var rtpLog: (sent: [RTPLogRecord], received: [RTPLogRecord]) = ([], [])

    var isStarted: Bool { sender != nil }

    init(spec: MediaSpec, index: Int, fromOfferer: Bool, session: String, simulation: Simulation, capacity: LinkDirection?) {
        self.spec = spec
        self.index = index
        self.fromOfferer = fromOfferer
        self.simulation = simulation
        self.capacity = capacity
        let base: UInt32 = spec.kind == .video ? 0x5649_4400 : 0x4155_4400
        mediaSSRC = base + UInt32(index)
        receiverSSRC = 0x5245_4300 + UInt32(index)
        rtxSSRC = 0x5254_5800 + UInt32(index)
        fecSSRC = 0x4645_4300 + UInt32(index)
        series = FlowSeries(label: "\(session)/\(index)")
    }

    /// Starts sender and receiver between the selected pair's endpoints; `send` carries a
    /// datagram from the sending (true) or receiving (false) side over ICE, with its ECN field.
    /// `overhead`: bytes below RTP per packet, counted when the spec asks for it.
    func start(local: Endpoint, remote: Endpoint, overhead: Int, random: Xoshiro256,
               send: @escaping (_ fromSender: Bool, [UInt8], ECNCodepoint) -> Void) {
        endpoints = (local, remote)
        var configuration = Sender.Configuration(local: local, remote: remote)
        configuration.videoSSRC = mediaSSRC
        configuration.audioSSRC = mediaSSRC
        configuration.cname = "\(series.label)-sender"
        configuration.feedback = spec.feedback
        configuration.ecn = spec.ecn.codepoint
        configuration.transportOverhead = spec.transportOverhead ? overhead : 0
        configuration.recovery = spec.recovery
        configuration.rtxSSRC = rtxSSRC
        configuration.fecSSRC = fecSSRC
        if spec.kind == .video {
            var video = VideoSource.Configuration()
            video.keyFrameInterval = spec.keyFrames == .periodic ? video.keyFrameInterval : nil
            video.minRate = min(video.minRate, spec.minRate)
            video.maxRate = spec.maxRate
            configuration.video = video
            configuration.audio = nil
        } else {
            configuration.video = nil
            configuration.audio = AudioSource(rate: spec.audioRate)
        }
        var receiverConfiguration = MediaReceiver.Configuration(answering: configuration)
        receiverConfiguration.ssrc = receiverSSRC
        receiverConfiguration.cname = "\(series.label)-receiver"
        let receiver = SimCoreBridge(simulation: simulation, core: MediaReceiver(configuration: receiverConfiguration),
                                     onTransmit: { send(false, $0.payload, $0.ecn) })
        let sender = SimCoreBridge(simulation: simulation,
                                   core: Sender(configuration: configuration, controller: spec.controller.make(spec.controllerRates), random: random),
                                   onTransmit: { [unowned self] in
                                       countSent($0.payload)
                                       send(true, $0.payload, $0.ecn)
                                   })
        self.receiver = receiver
        self.sender = sender
        intervals = FlowIntervalCounters(start: simulation.now)
        goodput = GoodputTracker(mediaSSRC: mediaSSRC, rtxSSRC: spec.recovery?.rtx == true ? rtxSSRC : nil)
        receiver.withCore { core, now in core.start(now: now) }
        sender.withCore { core, now in core.start(now: now) }
        if let rates { sender.withCore { core, now in core.setRateConstraints(min: rates.min, max: rates.max, now: now) } }
        let sampler = SimTimer(simulation: simulation) { [unowned self] now in
            sample(at: now)
            self.sampler?.arm(at: now + Self.sampleInterval)
        }
        self.sampler = sampler
        sampler.arm(at: simulation.now)
    }

    /// Rate bounds set mid-call (`setFlowRates`), over the spec's.
    private var rates: (min: Bitrate, max: Bitrate)?

    /// New rate bounds (nil keeps a bound): the sender's controller and encoder take them
    /// now, or at the start when the flow has not started. Returns the bounds in force.
    func constrain(minRate: Bitrate?, maxRate: Bitrate?) -> (min: Bitrate, max: Bitrate) {
        let current = rates ?? (spec.minRate, spec.maxRate)
        var bounds = (min: minRate ?? current.min, max: maxRate ?? current.max)
        // A new minimum above the maximum in force raises the maximum with it (and a new
        // maximum below the minimum lowers the minimum): the later setting wins.
        if bounds.min > bounds.max { if minRate != nil { bounds.max = bounds.min } else { bounds.min = bounds.max } }
        rates = bounds
        sender?.withCore { core, now in core.setRateConstraints(min: bounds.min, max: bounds.max, now: now) }
        return bounds
    }

    /// Ends the flow: RTCP BYE, no further samples but the packet counts up to now (unless
    /// sampled at this instant already), so that the flow's loss covers all it sent.
    func stop() {
        sender?.withCore { core, now in core.stop(now: now) }
        sampler?.disarm()
        closeIntervals(at: simulation.now)
        intervals = nil
        guard let receiver = receiver?.core, lastSample != simulation.now else { return }
        sampleLoss(receiver, at: simulation.now - Instant.zero)
        if let video = receiver.videoMetrics, let sender = sender?.core { sampleRecovery(video, sender: sender.metrics, at: simulation.now - Instant.zero) }
    }

    /// A datagram for this flow arrived on the sending (`atSender`) or receiving side
    /// with IP ECN field `ecn`.
    func deliver(_ bytes: [UInt8], atSender: Bool, ecn: ECNCodepoint) {
        guard let endpoints else { return }
        if atSender {
            sender?.deliver(Datagram(source: endpoints.receiver, destination: endpoints.sender, payload: bytes, ecn: ecn))
        } else {
            countReceived(bytes)
            receiver?.deliver(Datagram(source: endpoints.sender, destination: endpoints.receiver, payload: bytes, ecn: ecn))
            if spec.recovery?.fec != nil { countRecovered() }
        }
    }

    /// A datagram the sender put on the wire (RTP or RTCP, before SRTP).
    private func countSent(_ bytes: [UInt8]) {
        let now = simulation.now
        closeIntervals(at: now)
        intervals?.add(sent: bytes.count)
        if recordsRTPLog, !RTPPacket.isRTCP(bytes), let record = try? RTPLogRecord(packet: bytes, time: now - Instant.zero) {
            rtpLog.sent.append(record)
        }
    }

    /// A datagram of the flow arrived at the receiver (authenticated and unprotected).
    private func countReceived(_ bytes: [UInt8]) {
        let now = simulation.now
        closeIntervals(at: now)
        guard !RTPPacket.isRTCP(bytes), let record = try? RTPLogRecord(packet: bytes, time: now - Instant.zero) else {
            intervals?.add(received: bytes.count)
            return
        }
        let delivered = intervals == nil ? 0 : goodput?.newPayload(record, bytes: bytes) ?? 0
        intervals?.add(received: bytes.count, goodput: delivered)
        if recordsRTPLog { rtpLog.received.append(record) }
    }

    /// Goodput FEC restored with the datagram just delivered (RFC 8868 §3 item 1 counts
    /// payload after repair).
    private func countRecovered() {
        guard let recovered = receiver?.withCore({ core, _ in core.takeRecovered() }), !recovered.isEmpty else { return }
        for packet in recovered {
            let delivered = intervals == nil ? 0 : goodput?.recoveredPayload(sequenceNumber: packet.sequenceNumber,
                                                                             payloadSize: packet.payloadSize) ?? 0
            intervals?.add(goodput: delivered)
        }
    }

    /// Records the 200 ms intervals that ended by `now`. The sampler runs at every
    /// interval's end, so `now` is the end of the last one closed and the capacity over
    /// the past 200 ms is the interval's.
    private func closeIntervals(at now: Instant) {
        typealias Name = FlowSeries.Name
        intervals?.close(through: now) { interval in
            let time = interval.end - Instant.zero, seconds = FlowSeries.rateInterval.seconds
            let sent = Double(interval.sent) * 8 / seconds
            series.append(Name.sent200ms, sent, at: time)
            series.append(Name.received200ms, Double(interval.received) * 8 / seconds, at: time)
            series.append(Name.goodput200ms, Double(interval.goodput) * 8 / seconds, at: time)
            if interval.end == now, let rate = capacity?.capacity(over: FlowSeries.rateInterval), rate > 0 {
                series.append(Name.utilization200ms, sent / rate, at: time)
            }
        }
    }

    private func sample(at now: Instant) {
        guard let sender = sender?.core, let receiver = receiver?.core else { return }
        closeIntervals(at: now)
        let time = now - Instant.zero
        let s = sender.metrics, r = receiver.metrics
        func last(_ name: String, _ series: TimeSeries) {
            if let value = series.values.last { self.series.append(name, value, at: time) }
        }
        func meanSinceLast(_ name: String, _ series: TimeSeries, _ consumed: inout Int) {
            let fresh = series.values[consumed...]
            consumed = series.count
            if !fresh.isEmpty { self.series.append(name, fresh.reduce(0, +) / Double(fresh.count), at: time) }
        }
        last(FlowSeries.Name.target, s.targetRate)
        last(FlowSeries.Name.stableTarget, s.stableTargetRate)
        last(FlowSeries.Name.receiverEstimate, s.receiverEstimate)
        last(FlowSeries.Name.sent, s.sentRate)
        last(FlowSeries.Name.acked, s.ackedRate)
        last(FlowSeries.Name.roundTripTime, s.roundTripTime)
        last(FlowSeries.Name.received, r.receivedRate)
        meanSinceLast(FlowSeries.Name.oneWayDelay, r.oneWayDelay, &consumed.oneWay)
        meanSinceLast(FlowSeries.Name.queueDelay, r.queuingDelay, &consumed.queue)
        sampleLoss(receiver, at: time)
        if let video = receiver.videoMetrics { sampleRecovery(video, sender: s, at: time) }
        lastSample = now
        if let rate = capacity?.capacity(over: Self.sampleInterval) { series.append(FlowSeries.Name.capacity, rate, at: time) }
    }

    /// The recovery and frame counters (cumulative), the frame delays rendered since the
    /// previous sample, and the time to first frame once.
    private func sampleRecovery(_ video: VideoReceptionMetrics, sender: SenderMetrics, at time: Duration) {
        typealias Name = FlowSeries.Name
        let counters: [(String, Double)] = [
            (Name.packetsUnrecovered, Double(video.packetsUnrecovered)), (Name.nackCount, Double(video.nacksSent)),
            (Name.rtxPackets, Double(sender.retransmittedPackets)), (Name.rtxBytes, Double(sender.retransmittedBytes)),
            (Name.pliCount, Double(video.pliSent)), (Name.framesRendered, Double(video.framesRendered)),
            (Name.framesDropped, Double(video.framesDropped)), (Name.freezeCount, Double(video.freezeCount)),
            (Name.freezeTotal, video.freezeDuration.milliseconds),
        ]
        for (name, value) in counters { series.append(name, value, at: time) }
        if spec.recovery?.fec != nil {
            series.append(Name.fecRecovered, Double(video.packetsRecoveredByFEC), at: time)
            series.append(Name.fecPackets, Double(sender.fecPackets), at: time)
            series.append(Name.fecBytes, Double(sender.fecBytes), at: time)
        }
        if let loss = video.residualLoss { series.append(Name.residualLoss, loss, at: time) }
        if let first = video.timeToFirstFrame, series.samples[Name.timeToFirstFrame] == nil {
            series.append(Name.timeToFirstFrame, first.milliseconds, at: time)
        }
        let delays = video.frameDelay
        for i in consumed.frameDelay..<delays.count { series.append(Name.frameDelay, delays.values[i], at: delays.times[i] - Instant.zero) }
        consumed.frameDelay = delays.count
    }

    /// Packets expected and lost since the previous sample (RFC 3550 §6.4.1 counts), and
    /// their ratio.
    private func sampleLoss(_ receiver: MediaReceiver, at time: Duration) {
        let count = receiver.lossCount
        let loss = count - sampledLoss
        sampledLoss = count
        series.append(FlowSeries.Name.packetsExpected, Double(loss.expected), at: time)
        series.append(FlowSeries.Name.packetsLost, Double(loss.lost), at: time)
        if let fraction = loss.fraction { series.append(FlowSeries.Name.lossIntervalFraction, fraction, at: time) }
    }
}
