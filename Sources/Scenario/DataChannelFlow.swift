import NetTypes
import Records
import SCTP
import Simulator

/// One data channel of a session at run time: its workload at the sending side (and, for
/// request-response, the answers at the receiving side), what arrived, and the channel's
/// `DataChannelSeries` sampled every `MediaFlow.sampleInterval` from its opening.
///
/// Every workload message starts with a 16-byte header — its sequence number and send
/// time, big-endian — so the receiver checks order and measures latency; the rest of the
/// message is zeros. A file transfer keeps the sending association's buffered amount
/// under a high water mark (max(8 messages, 1 MiB)) and resumes at a low one (one
/// message), as the WebRTC samples' file transfer does with `bufferedAmountLowThreshold`.
final class DataChannelFlow {
    let spec: DataChannelSpec
    let session: String
    private let simulation: Simulation
    /// Sends a message from the channel's sender (true) or receiver; false when refused.
    var send: (_ fromSender: Bool, [UInt8]) -> Bool = { _, _ in false }
    /// The sending side's association, once it exists.
    var senderAssociation: () -> SCTPAssociation? = { nil }
    /// Its buffered amount: what the file workload checks at every packet, read without
    /// copying the association.
    var senderBufferedAmount: () -> Int? = { nil }

    private(set) var openedAt: Instant?
    private var completedAt: Instant?
    private var bytesSent: Int64 = 0
    private var bytesDelivered: Int64 = 0
    private var messagesSent = 0
    private var messagesDelivered = 0
    private var outOfOrder = 0
    /// Sequence numbers that arrived where they are counted (the receiver; the sender's
    /// answers for request-response), and the highest of them.
    private var arrived: Set<UInt64> = []
    private var highestArrived: UInt64?
    private var lastInOrder: UInt64?
    private var latencies: [Double] = []
    private var nextSequence: UInt64 = 0
    /// A file transfer waiting for the buffered amount to fall to the low water mark.
    private var waitingForLow = false
    private var ticker: SimTimer?
    private var sampler: SimTimer?
    private(set) var samples: [SeriesSample] = []
    private var deliveredAtSample: Int64 = 0
    private var lastSample: Instant = .zero

    init(_ spec: DataChannelSpec, session: String, simulation: Simulation) {
        self.spec = spec
        self.session = session
        self.simulation = simulation
    }

    var fromOfferer: Bool { spec.fromOfferer }

    // MARK: Sending

    /// The channel is open at its sender: the workload and the sampler start.
    func opened() {
        guard openedAt == nil else { return }
        let now = simulation.now
        openedAt = now
        lastSample = now
        let sampler = SimTimer(simulation: simulation) { [unowned self] now in
            sample(at: now)
            senderMayWrite()
            self.sampler?.arm(at: now + MediaFlow.sampleInterval)
        }
        self.sampler = sampler
        sampler.arm(at: now + MediaFlow.sampleInterval)
        switch spec.workload {
        case .file:
            senderMayWrite()
        case .messages(let rate, _), .requestResponse(let rate, _, _):
            let interval = Duration.fromSeconds(1 / rate)
            let ticker = SimTimer(simulation: simulation) { [unowned self] now in
                sendMessage()
                self.ticker?.arm(at: now + interval)
            }
            self.ticker = ticker
            ticker.arm(at: now)
        }
    }

    private func sendMessage() {
        switch spec.workload {
        case .messages(_, let size), .requestResponse(_, let size, _): _ = sendNext(size: size)
        case .file: break
        }
    }

    /// Sends the next workload message of `size` bytes (the header cut short below 16).
    private func sendNext(size: Int) -> Bool {
        var message = [UInt8](repeating: 0, count: size)
        Self.writeHeader(sequence: nextSequence, sentAt: simulation.now, into: &message)
        guard send(true, message) else { return false }
        nextSequence += 1
        messagesSent += 1
        bytesSent += Int64(size)
        return true
    }

    /// The sender's buffer may have drained (a SACK arrived, or a sample tick): a file
    /// transfer tops it up between its water marks.
    func senderMayWrite() {
        guard openedAt != nil, case .file(let total, let size) = spec.workload, bytesSent < total,
              let buffered = senderBufferedAmount() else { return }
        let high = max(8 * size, 1 << 20)
        if waitingForLow {
            guard buffered <= size else { return }
            waitingForLow = false
        }
        while bytesSent < total {
            if senderBufferedAmount().map({ $0 > high }) ?? true {
                waitingForLow = true
                return
            }
            guard sendNext(size: Int(min(Int64(size), total - bytesSent))) else { return }
        }
    }

    // MARK: Receiving

    /// A message arrived at the channel's receiver.
    func receivedAtReceiver(_ bytes: [UInt8]) {
        bytesDelivered += Int64(bytes.count)
        if case .requestResponse(_, _, let response) = spec.workload {
            var answer = [UInt8](repeating: 0, count: response)
            let echoed = min(DataChannelSpec.headerSize, bytes.count, response)
            answer.replaceSubrange(0..<echoed, with: bytes.prefix(echoed))
            _ = send(false, answer)
            return
        }
        count(bytes)
        if case .file(let total, _) = spec.workload, bytesDelivered >= total, completedAt == nil { completedAt = simulation.now }
    }

    /// A message arrived back at the sender (a response).
    func receivedAtSender(_ bytes: [UInt8]) {
        guard case .requestResponse = spec.workload else { return }
        count(bytes)
    }

    /// Counts a delivered workload message: its latency and whether it kept its order.
    private func count(_ bytes: [UInt8]) {
        messagesDelivered += 1
        guard let header = Self.readHeader(bytes) else { return }
        latencies.append((simulation.now - header.sentAt).milliseconds)
        arrived.insert(header.sequence)
        highestArrived = max(highestArrived ?? 0, header.sequence)
        if spec.ordered, let last = lastInOrder, header.sequence <= last { outOfOrder += 1 }
        lastInOrder = max(lastInOrder ?? 0, header.sequence)
    }

    // MARK: Header

    static func writeHeader(sequence: UInt64, sentAt: Instant, into message: inout [UInt8]) {
        let time = UInt64(bitPattern: sentAt.nanoseconds)
        for i in 0..<min(DataChannelSpec.headerSize, message.count) {
            let value = i < 8 ? sequence : time
            message[i] = UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64(i % 8)))
        }
    }

    static func readHeader(_ bytes: [UInt8]) -> (sequence: UInt64, sentAt: Instant)? {
        guard bytes.count >= DataChannelSpec.headerSize else { return nil }
        func word(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        return (word(0), Instant(nanoseconds: Int64(bitPattern: word(8))))
    }

    // MARK: Results

    private func sample(at now: Instant) {
        let time = now - Instant.zero
        let subject = DataChannelSeries.subject(session: session, label: spec.label)
        func append(_ name: String, _ value: Double) { samples.append(SeriesSample(session: subject, name: name, time: time, value: value)) }
        let interval = (now - lastSample).seconds
        if interval > 0 { append(DataChannelSeries.goodput, Double(bytesDelivered - deliveredAtSample) * 8 / interval) }
        if let association = senderAssociation() {
            append(DataChannelSeries.bufferedAmount, Double(association.bufferedAmount))
            append(DataChannelSeries.congestionWindow, Double(association.congestionWindow))
        }
        deliveredAtSample = bytesDelivered
        lastSample = now
    }

    /// Nearest-rank percentile of the latencies.
    private func latency(_ p: Double, _ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[min(max(Int((p * Double(sorted.count)).rounded(.up)) - 1, 0), sorted.count - 1)]
    }

    /// The channel's row, at the end of the run.
    var result: DataChannelResult {
        let now = simulation.now
        let sorted = latencies.sorted()
        let goodput = openedAt.flatMap { open -> Double? in
            let seconds = ((completedAt ?? now) - open).seconds
            return seconds > 0 ? Double(bytesDelivered) * 8 / seconds : nil
        }
        let partial = spec.reliability != .reliable
        let abandoned = partial ? highestArrived.map { Int($0) + 1 - arrived.count } ?? 0 : 0
        return DataChannelResult(
            session: session, label: spec.label, kind: spec.workload.kind, direction: spec.direction.rawValue, ordered: spec.ordered,
            reliability: spec.reliability.name, openTime: openedAt.map { $0 - Instant.zero }, bytesSent: bytesSent,
            bytesDelivered: bytesDelivered, completedTime: completedAt.map { $0 - Instant.zero }, goodput: goodput,
            latencyP50: latency(0.5, sorted), latencyP95: latency(0.95, sorted), latencyP99: latency(0.99, sorted),
            messagesSent: messagesSent, messagesDelivered: messagesDelivered, messagesAbandoned: abandoned,
            messagesOutOfOrder: outOfOrder, retransmissions: senderAssociation()?.statistics.retransmissions ?? 0)
    }
}
