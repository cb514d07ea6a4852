import Congestion
import Media
import NetTypes
import Scenario
import Testing

/// GCC end to end: MediaSender and MediaReceiver on simulated hosts over a bottleneck
/// (50 ms one-way latency, 300 ms drop-tail queue), driven by SimCoreDriver.
@Suite struct CallTests {
    /// libwebrtc reaches a 1 Mbps bottleneck from its 300 kbps start within about 10-15 s
    /// without probing (8 %/s multiplicative increase: ln(1/0.3)/ln(1.08) ≈ 15.6 s) and
    /// within a few seconds with its start-up probes (3× and 6× the start rate); we require
    /// the 15 s bound and 80 % utilisation after it.
    @Test func rampsUpToTheBottleneck() throws {
        let call = SimulatedCall(capacity: .mbps(1))
        call.run(for: .seconds(20))
        let reached = try #require(call.sender.metrics.targetRate.firstTime(reaching: 800_000))
        #expect(reached < .zero + .seconds(15))
        let received = try #require(call.receiver.metrics.receivedRate.mean(in: seconds(15, 20)))
        #expect(received > 800_000 && received < 1_000_000)
    }

    @Test func backsOffAfterACapacityDrop() throws {
        let call = SimulatedCall(capacity: .mbps(1))
        call.setCapacity(.kbps(500), at: .seconds(20))
        call.run(for: .seconds(40))
        let target = call.sender.metrics.targetRate
        let below = try #require(zip(target.times, target.values).first { $0.0 >= .zero + .seconds(20) && $0.1 < 500_000 }?.0)
        #expect(below < .zero + .seconds(23))
        // The queue built by the drop drains: median queuing delay back near the baseline.
        let queuing = call.receiver.metrics.queuingDelay
        #expect(try #require(queuing.percentile(0.5, in: seconds(26, 40))) < 40)
        #expect(try #require(queuing.percentile(0.95, in: seconds(20, 22))) > 150)
    }

    @Test func noStandingQueueAtSteadyState() throws {
        let call = SimulatedCall(capacity: .mbps(1))
        call.run(for: .seconds(60))
        let queuing = call.receiver.metrics.queuingDelay
        let early = try #require(queuing.percentile(0.95, in: seconds(15, 30)))
        let late = try #require(queuing.percentile(0.95, in: seconds(45, 60)))
        #expect(late < 150)
        #expect(late < early + 30)
        #expect(try #require(queuing.percentile(0.5, in: seconds(15, 60))) < 40)
    }

    /// Two flows on a 2 Mbps bottleneck, the second starting 5 s later. Key frames only on
    /// request (the first frame): with periodic 5× key frames every 3 s the lower-rate flow
    /// keeps losing ground (docs/congestion.md, "Fairness and key frames").
    @Test func twoFlowsShareFairly() throws {
        var video = VideoSource.Configuration()
        video.keyFrameInterval = nil
        let call = SimulatedCall(capacity: .mbps(2), starts: [.zero, .seconds(5)], video: video)
        call.run(for: .seconds(60))
        let rates = try call.receivers.map { try #require($0.core.metrics.receivedRate.mean(in: seconds(30, 60))) }
        #expect(jainIndex(rates) >= 0.8)
        #expect(rates.reduce(0, +) > 1_400_000)
    }

    @Test func measuresRoundTripTimeFromReceiverReports() throws {
        let call = SimulatedCall(capacity: .mbps(1))
        call.run(for: .seconds(10))
        // 2 × 50 ms propagation plus serialization and queuing.
        let rtt = try #require(call.sender.metrics.roundTripTime.percentile(0.5, in: seconds(0, 10)))
        #expect(rtt > 100 && rtt < 160)
    }

    /// Loss above 10 % cuts the rate by (1 − 0.5 × loss) per decrease (loss-based control);
    /// loss between 2 % and 10 % holds it.
    @Test func heavyRandomLossBacksOffModerateLossHolds() throws {
        let heavy = SimulatedCall(capacity: .mbps(2), loss: 0.2)
        heavy.run(for: .seconds(30))
        let heavyTarget = try #require(heavy.sender.metrics.targetRate.mean(in: seconds(20, 30)))
        #expect(heavyTarget < 300_000)
        let receivedLoss = try #require(heavy.receiver.metrics.lossFraction.mean(in: seconds(5, 30)))
        #expect(abs(receivedLoss - 0.2) < 0.05)
        let moderate = SimulatedCall(capacity: .mbps(2), loss: 0.05)
        moderate.run(for: .seconds(30))
        let moderateTarget = try #require(moderate.sender.metrics.targetRate.mean(in: seconds(20, 30)))
        #expect(moderateTarget > heavyTarget)
    }

    @Test func stopEndsTheCallWithGoodbye() {
        let call = SimulatedCall(capacity: .mbps(1))
        call.run(for: .seconds(3))
        let sent = call.link.forward.stats.sentPackets
        call.senders[0].withCore { core, now in core.stop(now: now) }
        call.run(for: .seconds(5))
        // Only the SR + SDES + BYE compounds (video, audio) follow the stop.
        #expect(call.link.forward.stats.sentPackets == sent + 2)
        #expect(call.receiver.endedSources == [call.sender.configuration.videoSSRC, call.sender.configuration.audioSSRC])
    }

    @Test func sameSeedSameSeries() {
        func run() -> (SenderMetrics, ReceiverMetrics) {
            let call = SimulatedCall(seed: 42, capacity: .mbps(1))
            call.run(for: .seconds(10))
            return (call.sender.metrics, call.receiver.metrics)
        }
        let a = run(), b = run()
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
        #expect(a.1.oneWayDelay.count > 500)
    }
}
