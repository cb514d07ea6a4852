import Foundation
import NetTypes
import Records
import Scenario
import Testing

/// Media over ICE end to end: flows start once the session connects, ride the selected
/// pair through a NAT or a TURN relay, and record their time series.
@Suite struct MediaSessionTests {
    static func run(_ text: String) throws -> RunResult {
        let file = try ScenarioFile(text: text, path: "media.yaml")
        let (point, scenario) = try file.scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario)
    }

    static func network(policy: String) -> String {
        """
        name: media-\(policy)
        duration: 12s
        network:
          nats:
            alice-home: { preset: linux-masquerade }
            bob-home: { preset: port-restricted-cone }
          hosts: { alice: { behind: alice-home }, bob: { behind: bob-home } }
          servers:
            stun1: { kind: stun }
            turn1: { kind: turn, users: { alice: s3cret, bob: s3cret } }
          links:
            - { from: alice-home, to: internet, latency: 20ms, bandwidth: 1Mbps, queue: 300ms, reverse: { bandwidth: 2Mbps } }
        sessions:
          - name: call
            offerer: alice
            answerer: bob
            ice-servers: [stun1, turn1]
            policy: \(policy)
            media:
              - { kind: video, direction: both, bottleneck: alice-home-internet, key-frames: on-request }
              - { kind: audio, bitrate: 20kbps, start: 3s, stop: 9s }
        expect:
          - { session: call, connected-within: 2s }
          - { session: call, flow: 0, time-to-rate: { share: 50%, within: 8s } }
          - { session: call, flow: 0, utilization-after: { from: 6s, at-least: 50% } }
          - { session: call, flow: 0, loss-below: 5% }
          - { session: call, flow: 1, queue-delay-p95: { below: 300ms } }
        """
    }

    static func check(_ result: RunResult, relayed: Bool) {
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "") \(result.expectations.filter { !$0.passed }.map(\.message))")
        #expect(result.sessions.first?.relayUsed == relayed)
        let flows = FlowSeries.grouped(result.series)
        #expect(flows.keys.sorted() == ["call/0", "call/1", "call/2"])
        for name in ["target_bps", "sent_bps", "acked_bps", "received_bps", "rtt_ms", "one_way_delay_ms", "queue_delay_ms",
                     "packets_expected", "packets_lost", "loss_interval_fraction"] {
            #expect(!(flows["call/0"]?.values(name).isEmpty ?? true), "\(name)")
        }
        // The forward flow's capacity is alice-home → internet's 1 Mbps; the reverse flow
        // crosses the same link the other way (2 Mbps); audio has no bottleneck.
        #expect(flows["call/0"]?.values("capacity_bps").allSatisfy { $0 == 1_000_000 } == true)
        #expect(flows["call/1"]?.values("capacity_bps").allSatisfy { $0 == 2_000_000 } == true)
        #expect(flows["call/2"]?.values("capacity_bps").isEmpty == true)
        // Audio ran 3-9 s (after connecting) at 20 kbps of Opus payload: 50 bytes a 20 ms frame
        // plus the RTP header and its extensions (about 28 kbps of RTP; 32 kbps would be about 40).
        let audio = flows["call/2"]?.span
        #expect(audio.map { $0.lowerBound >= .seconds(3) && $0.upperBound < .seconds(9) } == true)
        let audioRate = flows["call/2"]?.meanReceivedRate(in: TimeWindow(from: .seconds(5), to: .seconds(9))) ?? 0
        #expect(audioRate > 24_000 && audioRate < 34_000, "\(audioRate)")
        let reverse = flows["call/1"]?.meanReceivedRate(in: TimeWindow(from: .seconds(6))) ?? 0
        #expect(reverse > 300_000, "\(reverse)")
    }

    @Test func mediaFlowsThroughNATs() throws {
        let result = try Self.run(Self.network(policy: "all"))
        Self.check(result, relayed: false)
    }

    @Test func mediaFlowsThroughATURNRelay() throws {
        let result = try Self.run(Self.network(policy: "relay"))
        Self.check(result, relayed: true)
    }

    @Test func sameSeedGivesIdenticalSeries() throws {
        let a = try Self.run(Self.network(policy: "all")), b = try Self.run(Self.network(policy: "all"))
        #expect(a.series.count == b.series.count && a.series.count > 1000)
        #expect(zip(a.series, b.series).allSatisfy { $0.session == $1.session && $0.name == $1.name && $0.time == $1.time && $0.value == $1.value })
    }

    @Test func mediaWaitsForICE() throws {
        // The session starts at 2 s; media asked to start at 0 s begins once ICE connected.
        let text = Self.network(policy: "all").replacingOccurrences(of: "    policy: all\n", with: "    policy: all\n    start: 2s\n")
        let result = try Self.run(text)
        let connect = try #require(result.sessions.first?.connectedTime)
        let span = try #require(FlowSeries.grouped(result.series)["call/0"]?.span)
        #expect(span.lowerBound >= .seconds(2) + connect)
    }
}
