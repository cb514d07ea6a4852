import NetTypes
import RTP

/// What a NADA receiver reports every DELTA (RFC 8698 §4.2, §5.3): the aggregate
/// congestion signal, the receiving rate and the rate-adaptation mode.
public struct NadaReport: Sendable, Equatable {
    /// x_curr, seconds.
    public var congestionSignal: Double
    /// r_recv, bit/s over LOGWIN.
    public var receivingRate: Double
    /// rmode 0: accelerated ramp-up (no loss and no queue build-up within LOGWIN).
    public var acceleratedRampUp: Bool
    /// d_queue after the minimum filter, seconds (for metrics and tests).
    public var queuingDelay: Double
    /// p_loss, smoothed.
    public var lossRatio: Double
    /// p_mark, smoothed.
    public var markRatio: Double
}

/// NADA's receiver-side computation (RFC 8698 §4.2, §5.1) run at the sender from
/// transport-wide feedback, which RFC 8698 §6.4 allows ("sender-based vs receiver-based
/// calculation") and RFC 8888-style per-packet feedback makes possible:
///
/// - d_fwd = receive time − send time. The receiver's clock offset is unknown but
///   constant, so d_queue = d_fwd − d_base (d_base the smallest d_fwd seen) is exact.
/// - d_queue goes through a minimum filter over the last 15 samples (§6.2).
/// - Loss: packets the feedback reports lost. p_loss is the share lost among packets
///   reported within LOGWIN, smoothed once per report with ALPHA (§5.1.2).
/// - Marking: packets RFC 8888 feedback reports CE-marked (RFC 3168 §5). p_mark is the
///   share marked among packets received within LOGWIN, smoothed as p_loss is. It stays
///   0 with transport-wide feedback, which carries no ECN, and for Not-ECT media.
/// - r_recv: bytes received within LOGWIN of the newest arrival, over LOGWIN (§5.1.3).
/// - rmode: accelerated ramp-up while LOGWIN holds no loss and no d_queue ≥ QEPS.
///
/// Memory is bounded by LOGWIN: one entry per packet reported within it.
public struct NadaReceiverStatistics: Sendable {
    private struct Arrival: Sendable {
        var time: Instant
        var bytes: Int
        var queueBuildUp: Bool
        var marked: Bool
    }

    /// Losses kept within LOGWIN at most (a burst longer than that is all loss anyway).
    static let maxLosses = 65_536
    public let parameters: NadaParameters
    private var baseDelay: Duration?
    private var recentQueueDelays: [Double] = []
    private var filterIndex = 0
    private var arrivals: [Arrival] = []
    private var arrivalsHead = 0
    /// Receive times of losses, as the newest arrival's time when they were reported.
    private var losses: [Instant] = []
    private var newestArrival: Instant?
    private var lossIntervals = NadaLossIntervals()
    private var lossRatio = 0.0
    private var markRatio = 0.0
    /// Packets reported (received or lost) since the last report.
    public private(set) var freshResults = 0

    public init(parameters: NadaParameters) { self.parameters = parameters }

    /// The current d_queue (seconds), after the minimum filter.
    public var queuingDelay: Double { recentQueueDelays.min() ?? 0 }

    /// Takes the fates of packets from one feedback, in sequence order.
    public mutating func add(_ results: [PacketResult]) {
        for result in results {
            freshResults += 1
            guard let receiveTime = result.receiveTime else {
                lossIntervals.lost()
                if let newestArrival {
                    // Bounded even when nothing arrives for long: the oldest go first.
                    if losses.count >= Self.maxLosses { losses.removeFirst(losses.count / 2) }
                    losses.append(newestArrival)
                }
                continue
            }
            lossIntervals.received()
            let fwd = receiveTime - result.sent.sendTime
            let base = min(fwd, baseDelay ?? fwd)
            baseDelay = base
            let queue = (fwd - base).seconds
            if recentQueueDelays.count < parameters.minFilterTaps {
                recentQueueDelays.append(queue)
            } else {
                recentQueueDelays[filterIndex] = queue
                filterIndex = (filterIndex + 1) % parameters.minFilterTaps
            }
            let time = max(receiveTime, newestArrival ?? receiveTime)
            newestArrival = time
            arrivals.append(Arrival(time: time, bytes: result.sent.size, queueBuildUp: queuingDelay >= parameters.qeps,
                                    marked: result.ecn == .ce))
        }
        prune()
    }

    /// The report for this DELTA: x_curr, r_recv and rmode; starts a new interval.
    public mutating func report() -> NadaReport {
        prune()
        let window = arrivals[arrivalsHead...]
        let expected = window.count + losses.count
        let sample = expected > 0 ? Double(losses.count) / Double(expected) : 0
        lossRatio = NadaEquations.smoothedRatio(previous: lossRatio, sample: sample, parameters)
        let marked = window.reduce(0) { $0 + ($1.marked ? 1 : 0) }
        let markSample = window.isEmpty ? 0 : Double(marked) / Double(window.count)
        markRatio = NadaEquations.smoothedRatio(previous: markRatio, sample: markSample, parameters)
        let dQueue = queuingDelay
        let dTilde = NadaEquations.warpedDelay(dQueue, recentLoss: lossIntervals.isRecent(multiloss: parameters.multiloss), parameters)
        let x = NadaEquations.aggregateSignal(dTilde: dTilde, pMark: markRatio, pLoss: lossRatio, parameters)
        let bytes = window.reduce(0) { $0 + $1.bytes }
        // rmode 0 also needs no marking within LOGWIN: a mark is congestion as a loss is (§5.3).
        let accelerated = losses.isEmpty && marked == 0 && !window.contains { $0.queueBuildUp }
        freshResults = 0
        return NadaReport(congestionSignal: x, receivingRate: Double(bytes) * 8 / parameters.logwin,
                          acceleratedRampUp: accelerated, queuingDelay: dQueue, lossRatio: lossRatio, markRatio: markRatio)
    }

    /// Drops what fell out of LOGWIN before the newest arrival.
    private mutating func prune() {
        guard let newestArrival else { return }
        let start = newestArrival - Duration.fromSeconds(parameters.logwin)
        while arrivalsHead < arrivals.count, arrivals[arrivalsHead].time <= start { arrivalsHead += 1 }
        if arrivalsHead > 256, arrivalsHead * 2 > arrivals.count {
            arrivals.removeFirst(arrivalsHead)
            arrivalsHead = 0
        }
        losses.removeAll { $0 <= start }
    }
}
