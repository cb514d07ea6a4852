import Congestion
import NetTypes
import RTP
import Testing

/// NADA's receiver-side statistics from transport-wide feedback, its parameters, and the
/// controller's updates, on synthetic feedback with hand-computed outcomes.
@Suite struct NadaControllerTests {
    /// `count` packets of 1000 bytes sent every 10 ms from `start`, arriving after 50 ms
    /// plus `extraDelay(i)`, in a receiver clock 1000 s ahead (only differences matter);
    /// packets in `lost` are reported lost.
    static func feedback(from first: Int64 = 0, count: Int, start: Instant = .zero, lost: Set<Int> = [],
                         extraDelay: (Int) -> Duration = { _ in .zero }) -> [PacketResult] {
        (0..<count).map { i in
            let sent = SentPacket(sequence: first + Int64(i), size: 1000, sendTime: start + .milliseconds(10 * Int64(i)))
            let arrival = sent.sendTime + .seconds(1000) + .milliseconds(50) + extraDelay(i)
            return PacketResult(sent: sent, receiveTime: lost.contains(i) ? nil : arrival)
        }
    }

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    /// 50 packets of 8000 bits within LOGWIN (500 ms): r_recv 800 kbps; no queue, no loss:
    /// accelerated ramp-up with x_curr 0.
    @Test func cleanPathReportsRampUp() {
        var statistics = NadaReceiverStatistics(parameters: NadaParameters())
        statistics.add(Self.feedback(count: 50))
        let report = statistics.report()
        #expect(report.receivingRate == 800_000)
        #expect(report.acceleratedRampUp && report.congestionSignal == 0 && report.queuingDelay == 0)
        #expect(statistics.freshResults == 0)
    }

    /// Queuing delay is d_fwd − d_base after a 15-tap minimum filter: one 40 ms outlier is
    /// filtered out; 15 packets at +20 ms make d_queue 20 ms ≥ QEPS (gradual mode), x 20 ms.
    @Test func queuingDelayIsFilteredAndEndsRampUp() {
        var statistics = NadaReceiverStatistics(parameters: NadaParameters())
        statistics.add(Self.feedback(count: 20, extraDelay: { $0 == 19 ? .milliseconds(40) : .zero }))
        #expect(statistics.queuingDelay == 0)
        statistics.add(Self.feedback(from: 20, count: 15, start: .zero + .milliseconds(200), extraDelay: { _ in .milliseconds(20) }))
        #expect(close(statistics.queuingDelay, 0.020))
        let report = statistics.report()
        #expect(!report.acceleratedRampUp && close(report.congestionSignal, 0.020))
    }

    /// One loss among 50 in LOGWIN: sample 2 %, smoothed 0.1 × 0.02 = 0.2 %, penalty
    /// 10 ms × (0.002 / 0.01)² = 0.4 ms; the loss ends ramp-up.
    @Test func lossAddsItsPenalty() {
        var statistics = NadaReceiverStatistics(parameters: NadaParameters())
        statistics.add(Self.feedback(count: 50, lost: [30]))
        let report = statistics.report()
        #expect(close(report.lossRatio, 0.1 * 1.0 / 50.0))
        #expect(close(report.congestionSignal, 0.010 * 0.2 * 0.2))
        #expect(!report.acceleratedRampUp)
        #expect(close(report.receivingRate, 49 * 8000 / 0.5))
    }

    /// With a recent loss, a 150 ms queue is warped to 50 ms × e^−1 (§4.2).
    @Test func recentLossWarpsTheQueuingDelay() {
        var statistics = NadaReceiverStatistics(parameters: NadaParameters())
        statistics.add(Self.feedback(count: 30))
        statistics.add(Self.feedback(from: 30, count: 30, start: .zero + .milliseconds(300), lost: [0],
                                     extraDelay: { _ in .milliseconds(150) }))
        let report = statistics.report()
        let penalty = 0.010 * pow2(report.lossRatio / 0.01)
        #expect(close(report.congestionSignal, 0.05 * 0.367_879_441_171_442_3 + penalty))
    }

    func pow2(_ x: Double) -> Double { x * x }

    /// Loss intervals (packets between losses, the start opening the first): 10 and 5 give
    /// a mean of 7.5; the last loss is recent until more than 7 × 7.5 = 52.5 packets
    /// arrived after it.
    @Test func lossExpiresAfterMultilossIntervals() {
        var statistics = NadaReceiverStatistics(parameters: NadaParameters())
        statistics.add(Self.feedback(count: 17, lost: [10, 16]))
        statistics.add(Self.feedback(from: 17, count: 52, start: .zero + .milliseconds(170), extraDelay: { _ in .milliseconds(100) }))
        // 52 arrivals after the loss: still recent, the 100 ms queue is warped to
        // 50 ms × e^−0.5 (the losses left LOGWIN: no loss penalty).
        var recent = statistics
        let warped = recent.report()
        #expect(close(warped.queuingDelay, 0.100))
        #expect(close(warped.congestionSignal, 0.05 * 0.606_530_659_712_633_4))
        statistics.add(Self.feedback(from: 69, count: 1, start: .zero + .milliseconds(690), extraDelay: { _ in .milliseconds(100) }))
        // 53: expired, no warping.
        let expired = statistics.report()
        #expect(close(expired.congestionSignal, 0.100))
    }

    /// The controller: clean feedback at 800 kbps, no RTT sample yet → γ = min(GAMMA_MAX 0.5,
    /// QBOUND / (0 + DELTA + DFILT)) = 0.05 / 0.22, r_ref = (1 + γ) × 800 kbps = 981.8 kbps;
    /// the pacer's queue of 1000 bytes moves target and pacing by 24 kbps; no fresh
    /// feedback, no update; new bounds clip r_ref at once.
    @Test func controllerUpdatesOncePerInterval() {
        var nada = NadaController(rates: ControllerRates(start: .kbps(500), min: .kbps(150), max: .mbps(2)))
        #expect(nada.targetRate == .kbps(500) && nada.pacingRate == .kbps(500) && nada.processInterval == .milliseconds(100))
        nada.onFeedback(Self.feedback(count: 50), now: .zero + .milliseconds(550))
        nada.onProcessInterval(now: .zero + .milliseconds(600))
        let rampedUp = (1 + 0.05 / 0.22) * 800_000
        #expect(close(nada.referenceRate, rampedUp) && nada.rampUpUpdates == 1)
        nada.onProcessInterval(now: .zero + .milliseconds(700))
        #expect(close(nada.referenceRate, rampedUp) && nada.rampUpUpdates == 1)
        nada.onPacerQueue(bytes: 1000, now: .zero + .milliseconds(700))
        #expect(abs(Double(nada.targetRate.bitsPerSecond) - (rampedUp - 24_000)) <= 1)
        #expect(abs(Double(nada.pacingRate.bitsPerSecond) - (rampedUp + 24_000)) <= 1)
        nada.setRateConstraints(min: .kbps(100), max: .kbps(600), now: .zero + .milliseconds(700))
        #expect(nada.referenceRate == 600_000 && nada.pacingRate == .kbps(600))
        #expect(nada.takeProbeClusters().isEmpty)
    }

    /// A standing 60 ms queue at r_ref 1 Mbps (equilibrium there would be 10 ms × 2 Mbps /
    /// 1 Mbps = 20 ms) moves to the gradual mode and lowers r_ref by eq. of §4.3:
    /// first update x_prev 0, x 60 ms: 1 Mbps × (1 − 0.5 × 0.2 × 0.08 − 2 × 0.06) = 872 kbps.
    @Test func controllerBacksOffOnAStandingQueue() {
        var nada = NadaController(rates: ControllerRates(start: .mbps(1), min: .kbps(150), max: .mbps(2)))
        nada.onFeedback(Self.feedback(count: 1), now: .zero + .milliseconds(50))
        nada.onFeedback(Self.feedback(from: 1, count: 20, start: .zero + .milliseconds(10), extraDelay: { _ in .milliseconds(60) }),
                        now: .zero + .milliseconds(300))
        nada.onProcessInterval(now: .zero + .milliseconds(300))
        #expect(nada.gradualUpdates == 1)
        #expect(close(nada.referenceRate, 1_000_000 * (1 - 0.5 * 0.2 * 0.08 - 2 * 0.06)))
    }

    /// `controller-parameters` parse through NADA's own parser, with units and ranges.
    @Test func parametersParseAndAreChecked() throws {
        let parsed = try NadaParameters(ControllerParameters([.init(key: "xref", value: "20ms"), .init(key: "tau", value: "0.4s"),
                                                              .init(key: "prio", value: "2"), .init(key: "qeps", value: "500us")]))
        #expect(parsed.xref == 0.020 && parsed.tau == 0.4 && parsed.prio == 2 && close(parsed.qeps, 0.0005))
        #expect(throws: ControllerParameterError(key: "xref", "xref: '20' is not a duration (e.g. 10ms, 0.5s)")) {
            try NadaParameters(ControllerParameters([.init(key: "xref", value: "20")]))
        }
        #expect(throws: ControllerParameterError.self) { try NadaParameters(ControllerParameters([.init(key: "alpha", value: "2")])) }
        #expect(throws: ControllerParameterError.self) { try NadaParameters(ControllerParameters([.init(key: "min-filter-taps", value: "1.5")])) }
        #expect(throws: ControllerParameterError.self) {
            try ControllerFactory.nada.recipe(ControllerParameters([.init(key: "speed", value: "1")]))
        }
        #expect(ControllerRegistry.names == ["gcc", "nada"])
        #expect(ControllerRegistry.factory(named: "nada")?.recipe != nil)
    }
}
