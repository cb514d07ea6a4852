import NetTypes
import Simulator
import Testing
@testable import Scenario

@Suite struct ScenarioParsingTests {
    static let full = """
    name: symmetric-vs-cone
    description: two NATs and a relay
    seed: 7
    duration: 20s
    network:
      nats:
        home: { preset: linux-masquerade }
        mobile: { mapping: address-and-port-dependent, filtering: address-and-port-dependent, port-assignment: random, mapping-timeout: 30s, behind: cgn }
        cgn: { preset: cgnat, external-addresses: 4 }
      firewalls:
        corp: { preset: allow-udp-ports, ports: [3478, 443] }
      hosts:
        alice: { behind: home }
        bob: { behind: mobile }
        carol: { behind: corp }
      servers:
        stun1: { kind: stun, alternate: true }
        turn1: { kind: turn, users: { alice: s3cret, bob: s3cret } }
      links:
        - { from: alice, to: home, latency: 5ms, loss: 1%, bandwidth: 20Mbps, queue: 50ms, aqm: codel }
        - { from: mobile, to: cgn, latency: 30ms, jitter: 5ms, loss: 2%, burst-length: 3, queue: 64KB,
            aqm: { kind: pie, target: 20ms }, reverse: { bandwidth: 5Mbps, aqm: { kind: codel, target: 2ms, interval: 40ms } } }
    sessions:
      - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1, turn1] }
      - { name: relayed, offerer: carol, answerer: bob, ice-servers: [turn1], policy: relay, trickle: false, ta: 20ms }
    timeline:
      - { at: 10s, link: alice-home, set: { bandwidth: 500kbps } }
      - { at: 12s, nat: home, rebind: true }
      - { at: 13s, session: call, restart-ice: true }
      - { at: 14s, host: bob, move-to: home }
    expect:
      - { session: call, connected-within: 2s, selected-pair: [srflx-srflx, "*-relay"] }
      - { session: relayed, relay: true, states: [checking, connected] }
    sweep:
      home.mapping: [endpoint-independent, address-dependent, address-and-port-dependent]
      seed: 1...4
    """

    @Test func fullScenarioDecodes() throws {
        let file = try ScenarioFile(text: Self.full, path: "full.yaml")
        #expect(file.runCount == 12)
        try file.validate()
        let (point, scenario) = try file.scenario(at: 5)
        #expect(point.key == "home.mapping=address-dependent seed=2")
        #expect(scenario.seed == 2)
        #expect(scenario.network.nats.first { $0.name == "home" }?.mapping == .addressDependent)
        #expect(scenario.network.nats.first { $0.name == "mobile" }?.behind == .behind("cgn"))
        #expect(scenario.network.hosts.count == 3)
        #expect(scenario.network.firewalls[0].ports == [3478, 443])
        let links = scenario.network.links
        #expect(links[0].forward.latency == .milliseconds(5))
        #expect(links[0].forward.loss == 0.01)
        #expect(links[0].forward.queueTime == .milliseconds(50))
        #expect(links[1].forward.queueBytes?.bytes == 64_000)
        #expect(links[1].reverse?.bandwidth == .mbps(5))
        #expect(links[1].reverse?.latency == .milliseconds(30))
        #expect(links[0].forward.aqm == .codel(CoDelParameters()) && links[1].forward.aqm == .pie(PIEParameters(target: .milliseconds(20))))
        #expect(links[1].reverse?.aqm == .codel(CoDelParameters(target: .milliseconds(2), interval: .milliseconds(40))))
        #expect(scenario.sessions[1].policy == .relay && !scenario.sessions[1].trickle && scenario.sessions[1].ta == .milliseconds(20))
        #expect(scenario.timeline.count == 4)
        #expect(scenario.expectations[0].selectedPair == ["srflx-srflx", "*-relay"])
        #expect(scenario.duration == .seconds(20))
    }

    @Test func sweepIntoListElements() throws {
        let text = """
        name: lossy
        network:
          hosts: { alice: {} }
          links: [{ from: alice, to: internet, latency: 5ms }]
        sweep:
          network.links.0.loss: [0%, 5%, 30%]
        """
        let file = try ScenarioFile(text: text, path: "l.yaml")
        let losses = try (0..<file.runCount).map { index throws(ScenarioError) in try file.scenario(at: index).scenario.network.links[0].forward.loss }
        #expect(losses == [0, 0.05, 0.3])
        #expect(try file.scenario(at: 1).scenario.network.links[0].forward.latency == .milliseconds(5))
        let bad = text.replacingOccurrences(of: "links.0.loss", with: "links.3.loss")
        #expect(throws: ScenarioError.self) { try ScenarioFile(text: bad, path: "l.yaml") }
    }

    @Test func sameTextSameHash() throws {
        let a = try ScenarioFile(text: Self.full, path: "a.yaml"), b = try ScenarioFile(text: Self.full, path: "b.yaml")
        let c = try ScenarioFile(text: Self.full + "\n# changed", path: "a.yaml")
        #expect(a.contentHash == b.contentHash && a.contentHash != c.contentHash)
    }

    @Test func suggestions() {
        #expect(Suggestions.closest(to: "latncy", in: ["latency", "jitter"]) == "latency")
        #expect(Suggestions.closest(to: "zzz", in: ["latency", "jitter"]) == nil)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
    }
}
