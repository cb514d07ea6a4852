import Congestion
import Media
import NetTypes
import Scenario
import Simulator
import Testing

/// ECN-capable media end to end (RFC 6679, RFC 8888, RFC 8698 §4.2): NADA calls over a
/// 1 Mbps, 50 ms link whose queue runs CoDel with ECN marking (RFC 8289 §5). Thresholds
/// are the measured figures (seed 1, deterministic) with margins; docs/congestion.md
/// lists them.
@Suite struct ECNCallTests {
    static let rates = ControllerRates(start: .kbps(300), min: .kbps(150), max: .kbps(2500))

    static func call(feedback: CongestionFeedbackKind, ecn: ECNCodepoint, controller: ControllerRecipe = .nada()) -> SimulatedCall {
        SimulatedCall(capacity: .mbps(1), aqm: .codel(CoDelParameters(ecn: true)), video: NadaCallTests.video, controller: controller,
                      rates: rates, feedback: feedback, ecn: ecn)
    }

    /// Every CE mark CoDel makes on the media direction reaches the receiver (the call
    /// stops a second before the end, so none is still in flight), RFC 8888 feedback
    /// carries it to the sender, and NADA's p_mark rises above 0. CoDel drops no RTP
    /// packet: they are all ECT(0) (its drops are of Not-ECT RTCP sender reports).
    @Test func marksReachTheReceiverAndNada() throws {
        let call = Self.call(feedback: .ccfb, ecn: .ect0)
        call.simulation.schedule(at: .zero + .seconds(29)) { _ in call.senders[0].withCore { core, now in core.stop(now: now) } }
        call.run(for: .seconds(30))
        let marks = call.link.forward.stats.ceMarked
        #expect(marks > 0)
        #expect(call.receiver.congestionExperienced == marks)
        #expect(call.receiver.lossCount.lost == 0)
        let nada = try #require(call.sender.controller.base as? NadaController)
        #expect(try #require(nada.lastReport).markRatio > 0)
    }

    /// Not-ECT media on the same link is dropped, never marked.
    @Test func notECTMediaIsDroppedNotMarked() {
        let call = Self.call(feedback: .ccfb, ecn: .notECT)
        call.run(for: .seconds(30))
        #expect(call.link.forward.stats.ceMarked == 0 && call.receiver.congestionExperienced == 0)
        #expect(call.link.forward.stats.drops[.aqm] > 0)
    }

    /// The same marks with transport-wide feedback, which carries no ECN, go unseen: NADA
    /// then runs on delay alone and holds a longer queue at a higher rate than when RFC
    /// 8888 feedback reports the marks.
    @Test func nadaReactsToMarksOnlyWhenFeedbackCarriesThem() throws {
        let seen = Self.call(feedback: .ccfb, ecn: .ect0)
        let ignored = Self.call(feedback: .transportCC, ecn: .ect0)
        seen.run(for: .seconds(40))
        ignored.run(for: .seconds(40))
        #expect(ignored.link.forward.stats.ceMarked > 0)
        let window = seconds(10, 40)
        let seenRate = try #require(seen.sender.metrics.targetRate.mean(in: window))
        let ignoredRate = try #require(ignored.sender.metrics.targetRate.mean(in: window))
        let seenQueue = try #require(seen.receiver.metrics.queuingDelay.percentile(0.5, in: window))
        let ignoredQueue = try #require(ignored.receiver.metrics.queuingDelay.percentile(0.5, in: window))
        #expect(seenRate < ignoredRate, "target \(seenRate) with marks seen, \(ignoredRate) with marks ignored")
        #expect(seenQueue <= ignoredQueue, "queue p50 \(seenQueue) ms with marks seen, \(ignoredQueue) ms ignored")
    }

    /// GCC ignores marks (as libwebrtc does): with RFC 8888 feedback it still runs on
    /// delay and loss, and the call works.
    @Test func gccRunsOnCCFBFeedback() throws {
        let call = Self.call(feedback: .ccfb, ecn: .ect0, controller: .gcc)
        call.run(for: .seconds(30))
        let rate = try #require(call.receiver.metrics.receivedRate.mean(in: seconds(10, 30)))
        #expect(rate > 600_000 && rate < 1_050_000)
    }

    /// Without per-packet feedback GCC's loss-based controller alone acts on receiver
    /// reports: on a 1 Mbps drop-tail link the rate still settles below capacity.
    @Test func gccLossBasedAloneWithoutFeedback() throws {
        let call = SimulatedCall(capacity: .mbps(1), video: NadaCallTests.video, rates: Self.rates, feedback: .none)
        call.run(for: .seconds(60))
        let gcc = try #require(call.sender.controller.base as? GoogCCController)
        #expect(gcc.acknowledgedRate == nil)
        let rate = try #require(call.receiver.metrics.receivedRate.mean(in: seconds(20, 60)))
        #expect(rate > 400_000 && rate < 1_050_000)
        #expect(try #require(call.sender.metrics.lossFraction.values.max()) > 0)
    }
}
