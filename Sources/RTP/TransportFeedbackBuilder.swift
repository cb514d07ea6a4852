import NetTypes

/// The receiver side of transport-wide congestion control (libwebrtc's
/// `TransportSequenceNumberFeedbackGenerator`, formerly `RemoteEstimatorProxy`): records
/// the arrival time of every transport-wide sequence number and builds feedback packets
/// on demand — the owner calls `build` every feedback interval.
///
/// Sequence numbers are unwrapped, so wraparound is invisible. Reordered packets within
/// a feedback interval land in their place; a packet arriving after its number was
/// already reported lost starts the next feedback at that number (arrivals are kept for
/// `backWindow`), and the sender's history turns it from lost into received. Duplicates
/// are ignored.
public struct TransportFeedbackBuilder: Sendable {
    /// How long arrivals are kept for re-reporting (libwebrtc `kBackWindow`, 500 ms in
    /// remote_estimator_proxy.cc).
    public static let backWindow = Duration.milliseconds(500)
    /// Most statuses per feedback packet; older unreported numbers are skipped.
    public static let maxStatuses = 8192

    public let senderSSRC: UInt32
    public let mediaSSRC: UInt32
    private var unwrapper = SequenceUnwrapper(bits: 16)
    private var arrivals: [Int64: Instant] = [:]
    /// First sequence number the next feedback covers.
    private var nextToReport: Int64?
    private var highest: Int64 = .min
    private var feedbackCount: UInt8 = 0
    /// Arrivals of numbers already recorded.
    public private(set) var duplicates = 0
    /// Arrivals older than `backWindow` behind the reported range, dropped.
    public private(set) var tooLate = 0

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    /// Whether packets arrived that no feedback has described yet.
    public var hasPending: Bool { nextToReport.map { $0 <= highest } ?? false }

    /// Records that transport-wide sequence number `sequence` arrived at `arrival`.
    public mutating func record(sequence: UInt16, arrival: Instant) {
        let seq = unwrapper.unwrap(UInt32(sequence))
        guard arrivals[seq] == nil else { duplicates += 1; return }
        if let next = nextToReport, seq < next {
            guard seq >= highest - Int64(Self.maxStatuses) else { tooLate += 1; return }
            nextToReport = seq
        }
        arrivals[seq] = arrival
        if nextToReport == nil { nextToReport = seq }
        highest = max(highest, seq)
    }

    /// Feedback for every number from the first unreported one to the highest received
    /// (split into several packets when a receive delta overflows 16 bits), then forgets
    /// arrivals older than `backWindow` before `now`. Empty when nothing is pending.
    public mutating func build(now: Instant) -> [TransportFeedback] {
        guard let next = nextToReport, next <= highest else { return [] }
        let start = max(next, highest - Int64(Self.maxStatuses) + 1)
        var packets: [TransportFeedback] = []
        var current: TransportFeedback?
        var lastTime = Duration.zero
        for seq in start...highest {
            guard let arrival = arrivals[seq] else {
                if current == nil { current = startPacket(base: seq, reference: referenceArrival(after: seq), lastTime: &lastTime) }
                current!.statuses.append(.notReceived)
                continue
            }
            if let packet = current, Int16(exactly: ticks(from: lastTime, to: arrival)) == nil {
                packets.append(packet)
                current = nil
            }
            if current == nil { current = startPacket(base: seq, reference: arrival, lastTime: &lastTime) }
            let delta = Int16(truncatingIfNeeded: ticks(from: lastTime, to: arrival))
            current!.statuses.append(.received(delta: delta))
            lastTime = lastTime + TransportFeedback.deltaTick * Int64(delta)
        }
        if let current { packets.append(current) }
        nextToReport = highest + 1
        arrivals = arrivals.filter { now - $0.value <= Self.backWindow }
        return packets
    }

    /// A packet starting at `base` whose reference time is `reference` rounded down to 64 ms.
    private mutating func startPacket(base: Int64, reference: Instant, lastTime: inout Duration) -> TransportFeedback {
        let units = reference.nanoseconds / TransportFeedback.referenceTimeUnit.nanoseconds
        lastTime = TransportFeedback.referenceTimeUnit * units
        defer { feedbackCount &+= 1 }
        return TransportFeedback(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, baseSequence: UInt16(truncatingIfNeeded: base),
                                 referenceTime: UInt32(truncatingIfNeeded: units), feedbackCount: feedbackCount, statuses: [])
    }

    /// The arrival of the first received number after `seq` (there is one: `highest`).
    private func referenceArrival(after seq: Int64) -> Instant {
        var s = seq + 1
        while arrivals[s] == nil { s += 1 }
        return arrivals[s]!
    }

    private func ticks(from time: Duration, to arrival: Instant) -> Int64 {
        (arrival - .zero - time).nanoseconds / TransportFeedback.deltaTick.nanoseconds
    }
}
