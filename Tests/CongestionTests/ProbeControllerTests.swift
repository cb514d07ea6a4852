import NetTypes
import Testing
@testable import Congestion

/// When GCC probes beyond start-up (libwebrtc probe_controller.cc): after a large drop,
/// once the detector recovers, in or just after ALR (`RequestProbe`); periodically in
/// ALR when enabled.
@Suite struct ProbeControllerTests {
    /// A controller past start-up probing (its 1 s wait for results timed out) whose
    /// target was 1 Mbps at 2 s.
    static func settled(_ parameters: GoogCCParameters = GoogCCParameters()) -> ProbeController {
        var probes = ProbeController(maxBps: 10_000_000, parameters: parameters)
        probes.process(startBps: 300_000, now: .zero)
        let startUp = probes.takePending()
        #expect(startUp.map(\.rate) == [.kbps(900), .kbps(1800)])
        probes.process(startBps: 300_000, now: .zero + .milliseconds(1100))
        probes.onTarget(bps: 1_000_000, now: .zero + .seconds(2))
        return probes
    }

    static func at(_ seconds: Double) -> Instant { .zero + .fromSeconds(seconds) }

    /// In ALR, a fall from 1 Mbps to 600 kbps (below 66 %) at 6 s and a recovery at 7 s
    /// probe once at 85 % of 1 Mbps; a second recovery within 5 s does not.
    @Test func probesAtEightyFivePercentAfterALargeDropInALR() {
        var probes = Self.settled()
        probes.setAlr(start: Self.at(2), now: Self.at(2))
        probes.onTarget(bps: 600_000, now: Self.at(6))
        probes.requestProbe(now: Self.at(7))
        let clusters = probes.takePending()
        #expect(clusters.map(\.rate) == [.kbps(850)])
        #expect(clusters.first.map { $0.minPackets == 5 && $0.minBytes == 850_000 * 15 / 1000 / 8 } == true)
        probes.requestProbe(now: Self.at(11.9))
        let again = probes.takePending()
        #expect(again.isEmpty)
    }

    /// The probes a recovery at `recovery` s asks for after the target fell from 1 Mbps to
    /// `dropTo` at `dropAt` s, with ALR from 2 s until `alrEnd` (nil: still in ALR; no
    /// ALR at all when `alr` is false), and the target at `targetAfterDrop` just before
    /// the recovery.
    static func probes(_ parameters: GoogCCParameters = GoogCCParameters(), alr: Bool = true, alrEnd: Double? = nil,
                       dropTo: Double = 600_000, dropAt: Double = 6, targetAfterDrop: Double? = nil, recovery: Double = 7) -> [Bitrate] {
        var probes = settled(parameters)
        if alr {
            probes.setAlr(start: at(2), now: at(2))
            if let alrEnd { probes.setAlr(start: nil, now: at(alrEnd)) }
        }
        probes.onTarget(bps: dropTo, now: at(dropAt))
        if let targetAfterDrop { probes.onTarget(bps: targetAfterDrop, now: at(recovery - 0.5)) }
        probes.requestProbe(now: at(recovery))
        return probes.takePending().map(\.rate)
    }

    /// Each condition of `RequestProbe` on its own.
    @Test func dropProbeConditions() {
        #expect(Self.probes() == [.kbps(850)])
        // Not in ALR, not after it: nothing, unless rapid recovery.
        #expect(Self.probes(alr: false).isEmpty)
        var rapid = GoogCCParameters()
        rapid.rapidRecovery = true
        #expect(Self.probes(rapid, alr: false) == [.kbps(850)])
        // ALR ended 2.9 s ago: a probe; 3.1 s ago: none.
        #expect(Self.probes(alrEnd: 4.1) == [.kbps(850)])
        #expect(Self.probes(alrEnd: 3.9).isEmpty)
        // A fall to 700 kbps (70 %) is not a large drop.
        #expect(Self.probes(dropTo: 700_000).isEmpty)
        // Recovery 5 s or more after the drop: none.
        #expect(Self.probes(recovery: 11).isEmpty)
        // The estimate already within 5 % of the probe (≥ 0.95 × 850 kbps): none.
        #expect(Self.probes(targetAfterDrop: 810_000).isEmpty)
        // Within the first 5 s of the call (libwebrtc starts the drop-probe clock at creation): none.
        #expect(Self.probes(dropAt: 3, recovery: 4).isEmpty)
        // Switched off.
        var off = GoogCCParameters()
        off.dropProbing = false
        #expect(Self.probes(off).isEmpty)
    }

    /// With periodic ALR probing on, 5 s into ALR a probe at 2 × the estimate; off (the
    /// default), none.
    @Test func periodicProbingInALR() {
        var on = GoogCCParameters()
        on.alrProbing = true
        for (parameters, expected) in [(on, [Bitrate.mbps(2)]), (GoogCCParameters(), [])] {
            var probes = Self.settled(parameters)
            probes.setAlr(start: Self.at(3), now: Self.at(3))
            probes.process(startBps: 300_000, now: Self.at(7.9))
            let early = probes.takePending()
            #expect(early.isEmpty)
            probes.process(startBps: 300_000, now: Self.at(8))
            let due = probes.takePending()
            #expect(due.map(\.rate) == expected)
        }
    }
}
