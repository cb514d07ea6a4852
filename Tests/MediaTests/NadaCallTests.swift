import Congestion
import Media
import NetTypes
import Scenario
import Testing

/// NADA (RFC 8698) end to end: the same simulated calls as `CallTests` (50 ms one-way
/// latency, 300 ms drop-tail queue, key frames on request) with RMIN 150 kbps and RMAX
/// 2.5 Mbps, the RFC 8867 suite's rates. Thresholds are the measured figures (seed 1,
/// deterministic) with margins; docs/congestion.md lists them.
@Suite struct NadaCallTests {
    static let rates = ControllerRates(start: .kbps(300), min: .kbps(150), max: .kbps(2500))
    static var video: VideoSource.Configuration {
        var video = VideoSource.Configuration()
        video.keyFrameInterval = nil
        return video
    }

    static func call(capacity: Bitrate, starts: [Duration] = [.zero]) -> SimulatedCall {
        SimulatedCall(capacity: capacity, starts: starts, video: video, controller: .nada(), rates: rates)
    }

    static func nada(_ call: SimulatedCall) throws -> NadaController { try #require(call.sender.controller.base as? NadaController) }

    /// On a 10 Mbps link nothing queues: NADA stays in accelerated ramp-up (γ = 0.1 per
    /// 100 ms on the receiving rate, which trails the encoder's 500 ms τ_v) up to RMAX.
    @Test func rampsUpOnAnEmptyLink() throws {
        let call = Self.call(capacity: .mbps(10))
        call.run(for: .seconds(30))
        let reached = try #require(call.sender.metrics.targetRate.firstTime(reaching: 2_000_000))
        #expect(reached < .zero + .seconds(20))
        let nada = try Self.nada(call)
        #expect(nada.rampUpUpdates > 10 * nada.gradualUpdates)
        #expect(try #require(call.receiver.metrics.queuingDelay.percentile(0.95, in: seconds(0, 30))) < 10)
    }

    /// 2 → 0.5 Mbps at 20 s: the queue and losses switch NADA to gradual updates; the
    /// target falls below the new capacity within 2 s and the flow settles under it.
    @Test func reactsToACapacityDrop() throws {
        let call = Self.call(capacity: .mbps(2))
        call.setCapacity(.kbps(500), at: .seconds(20))
        call.run(for: .seconds(40))
        let before = try #require(call.receiver.metrics.receivedRate.mean(in: seconds(10, 20)))
        #expect(before > 1_400_000)
        let target = call.sender.metrics.targetRate
        let below = try #require(zip(target.times, target.values).first { $0.0 >= .zero + .seconds(20) && $0.1 < 500_000 }?.0)
        #expect(below < .zero + .seconds(22))
        let after = try #require(call.receiver.metrics.receivedRate.mean(in: seconds(30, 40)))
        #expect(after > 300_000 && after < 520_000)
        #expect(try #require(call.receiver.metrics.queuingDelay.percentile(0.5, in: seconds(30, 40))) < 120)
        #expect(try Self.nada(call).gradualUpdates > 0)
    }

    /// Two NADA flows, the second from 5 s, on 2 Mbps: same RMAX and PRIO, so the same
    /// congestion signal gives the same equilibrium rate.
    @Test func twoFlowsShare() throws {
        let call = Self.call(capacity: .mbps(2), starts: [.zero, .seconds(5)])
        call.run(for: .seconds(60))
        let rates = try call.receivers.map { try #require($0.core.metrics.receivedRate.mean(in: seconds(30, 60))) }
        #expect(jainIndex(rates) >= 0.95)
        #expect(rates.reduce(0, +) > 1_500_000)
    }
}
