import Congestion
import Media
import NetTypes
import Scenario
import Testing

/// GCC with REMB (`feedback: remb`, draft-alvestrand-rmcat-remb): the receiver runs the
/// delay-based estimate and returns REMB; the sender's target is min(loss-based, REMB).
/// `SimulatedCall` on 1 Mbps, 50 ms one way, 300 ms drop-tail queue, key frames on
/// request, seed 1 (deterministic; figures in docs/congestion.md).
@Suite struct REMBCallTests {
    static func call(seed: UInt64 = 1) -> SimulatedCall {
        var video = VideoSource.Configuration()
        video.keyFrameInterval = nil
        let call = SimulatedCall(seed: seed, capacity: .mbps(1), video: video, feedback: .remb)
        call.run(for: .seconds(40))
        return call
    }

    @Test func targetFollowsTheReceiversEstimate() throws {
        let call = Self.call()
        let metrics = call.sender.metrics
        // REMB arrives (once the receiver's estimate is valid: 5 s after the first packet,
        // or at the first overuse) and caps the target from then on.
        let firstREMB = try #require(metrics.receiverEstimate.times.first)
        #expect(firstREMB < .zero + .seconds(7))
        let rembs = Array(zip(metrics.receiverEstimate.times, metrics.receiverEstimate.values))
        for (time, target) in zip(metrics.targetRate.times, metrics.targetRate.values) where time > firstREMB {
            let remb = rembs.last { $0.0 <= time }!.1
            #expect(target <= remb + 1, "target \(target) above REMB \(remb) at \(time)")
        }
        let window = seconds(15, 40)
        let received = try #require(call.receiver.metrics.receivedRate.mean(in: window))
        #expect(received > 500_000 && received < 1_050_000, "\(received)")
        let queue = try #require(call.receiver.metrics.queuingDelay.percentile(0.95, in: window))
        #expect(queue < 300, "\(queue)")
        // GCC's stable target never exceeds its target.
        #expect(zip(metrics.stableTargetRate.values, metrics.targetRate.values).allSatisfy { $0 <= $1 })
    }

    @Test func sameSeedSameCall() {
        let a = Self.call(), b = Self.call()
        #expect(a.sender.metrics == b.sender.metrics)
        #expect(a.receiver.metrics == b.receiver.metrics)
    }
}
