import NetTypes
import Simulator
import Testing
@testable import Scenario

@Suite struct SimulatedNetworkTests {
    static let text = """
    name: build
    network:
      nats:
        home: { preset: port-restricted-cone, behind: cgn }
        cgn: { preset: cgnat, external-addresses: 2 }
      firewalls:
        corp: { preset: allow-outbound-only }
      hosts:
        alice: { behind: home }
        bob: { behind: corp }
        pub: {}
      servers:
        stun1: { kind: stun, alternate: true }
      links:
        - { from: alice, to: home, latency: 3ms, bandwidth: 2Mbps, reverse: { bandwidth: 8Mbps } }
        - { from: internet, to: cgn, latency: 20ms }
    """

    @Test func buildsNodesAddressesAndDirectionalLinks() throws {
        let scenario = try ScenarioFile(text: Self.text, path: "b.yaml").scenario(at: 0).scenario
        let simulation = Simulation(seed: 1)
        let network = try SimulatedNetwork(scenario.network, simulation: simulation)
        #expect(network.nats.count == 2 && network.firewalls.count == 1 && network.hosts.count == 3)
        #expect(network.servers["stun1"]!.interfaces[0].addresses.filter { $0.address.family == .ipv4 }.count == 2)
        let access = try #require(network.link("alice-home"))
        // Up from alice: 2 Mbps; down to alice: 8 Mbps; both 3 ms.
        #expect(access.direction(from: network.hosts["alice"]!)?.config.bandwidth == .mbps(2))
        #expect(access.direction(from: network.nats["home"]!)?.config.bandwidth == .mbps(8))
        #expect(access.forward.config.latency == .milliseconds(3) && access.backward.config.latency == .milliseconds(3))
        #expect(network.link("cgn-internet")?.forward.config.latency == .milliseconds(20))
        #expect(network.link("home-cgn")?.forward.config.latency == SimulatedNetwork.carrierLink.latency)
        // alice reaches the public host through both NATs.
        let alice = try network.hosts["alice"]!.bindUDP(port: 5000)
        let pub = try network.hosts["pub"]!.bindUDP(port: 6000)
        var seen: [Datagram] = []
        pub.onReceive = { seen.append($0) }
        let target = network.hosts["pub"]!.interfaces[0].addresses.first { $0.address.family == .ipv4 }!.address
        alice.send([1, 2, 3], to: Endpoint(target, 6000))
        simulation.run(for: .seconds(1))
        #expect(seen.count == 1)
        #expect(seen.first.map { network.nats["cgn"]!.externalAddresses.contains($0.source.address) } == true)
        #expect(network.updateLink("alice-home", try LinkParametersFixture.loss50()))
        #expect(access.forward.config.loss == .bernoulli(0.5))
    }

    @Test func handoverMovesAHostToANewNetwork() throws {
        let scenario = try ScenarioFile(text: Self.text, path: "b.yaml").scenario(at: 0).scenario
        let simulation = Simulation(seed: 1)
        let network = try SimulatedNetwork(scenario.network, simulation: simulation)
        let alice = network.hosts["alice"]!
        let oldAddress = alice.interfaces[0].addresses[0].address
        #expect(network.moveHost("alice", to: .internet))
        #expect(!alice.owns(oldAddress))
        let newAddress = try #require(alice.interfaces.last?.addresses.first?.address)
        #expect(newAddress.isGlobalUnicast || newAddress.description.hasPrefix("203.0.113"))
        #expect(network.link("alice-internet") != nil)
        #expect(network.link("alice-home")?.forward.config.isUp == false)
        let pubHost = network.hosts["pub"]!
        let pub = try pubHost.bindUDP(port: 6000)
        var sources: [Endpoint] = []
        pub.onReceive = { sources.append($0.source) }
        let socket = try alice.bindUDP(port: 5000)
        socket.send([1], to: Endpoint(pubHost.interfaces[0].addresses[0].address, 6000))
        simulation.run(for: .seconds(1))
        #expect(sources == [Endpoint(newAddress, 5000)])
    }

    @Test func everyNATKeyReachesTheBehavior() throws {
        let text = """
        name: keys
        network:
          nats:
            cgn: { preset: cgnat, exhausted: drop, max-mappings-per-host: 64, max-mappings: 5000 }
            home: { mapping: endpoint-independent, filtering: address-dependent, port-assignment: sequential, port-step: 2,
                    port-parity: true, port-range: 2000-3000, low-ports: same-range, pooling: arbitrary, hairpinning: true, hairpin-source: internal,
                    mapping-timeout: 30s, established-timeout: 180s, inbound-refresh: true, conntrack-refused: true, filtered: reject,
                    exhausted: reject, behind: cgn }
          hosts: { alice: { behind: home } }
        """
        let scenario = try ScenarioFile(text: text, path: "k.yaml").scenario(at: 0).scenario
        let network = try SimulatedNetwork(scenario.network, simulation: Simulation(seed: 1))
        let cgn = try #require(network.nats["cgn"]).behavior
        #expect(cgn.exhaustionResponse == .drop && cgn.maxMappingsPerHost == 64 && cgn.maxMappings == 5000)
        #expect(cgn.portAssignment == .random && cgn.mappingLifetime == .seconds(60))
        let home = try #require(network.nats["home"]).behavior
        #expect(home == NATBehavior(
            mapping: .endpointIndependent, filtering: .addressDependent, portAssignment: .sequential(step: 2), portParity: true,
            portRange: 2000...3000, lowPorts: .sameRange, pooling: .arbitrary, hairpinning: .internalSource, mappingLifetime: .seconds(30),
            establishedLifetime: .seconds(180), inboundRefresh: true, unsolicitedResponse: .reject, exhaustionResponse: .reject,
            tracksRefusedInbound: true))
    }

    @Test func tcpKeysReachTheBehaviorAndTopLevelKeysApplyToTCP() throws {
        let text = """
        name: tcp
        network:
          nats:
            linux: { preset: linux-masquerade, mapping: address-dependent, tcp: { filtering: endpoint-independent, unsolicited-syn: reject } }
            home: { mapping: endpoint-independent, filtering: address-dependent, filtered: reject,
                    tcp: { mapping: address-and-port-dependent, established-timeout: 124m, transitory-timeout: 300s, reset-timeout: 10s } }
          hosts: { alice: { behind: home }, bob: { behind: linux } }
        sweep:
          home.tcp.filtering: [endpoint-independent, address-and-port-dependent]
        """
        let file = try ScenarioFile(text: text, path: "t.yaml")
        let network = try SimulatedNetwork(try file.scenario(at: 0).scenario.network, simulation: Simulation(seed: 1))
        let linux = try #require(network.nats["linux"]).behavior
        #expect(linux.mapping == .addressDependent && linux.filtering == .addressAndPortDependent)
        #expect(linux.tcp == NATTCPBehavior(mapping: .addressDependent, filtering: .endpointIndependent,
                                            establishedIdleTimeout: .seconds(432_000), transitoryIdleTimeout: .seconds(120),
                                            resetIdleTimeout: .seconds(10), unsolicitedSYN: .reject))
        let home = try #require(network.nats["home"]).behavior
        #expect(home.mapping == .endpointIndependent && home.unsolicitedResponse == .reject)
        #expect(home.tcp == NATTCPBehavior(mapping: .addressAndPortDependent, filtering: .endpointIndependent,
                                           establishedIdleTimeout: .seconds(7440), transitoryIdleTimeout: .seconds(300),
                                           resetIdleTimeout: .seconds(10), unsolicitedSYN: .reject))
        let swept = try SimulatedNetwork(try file.scenario(at: 1).scenario.network, simulation: Simulation(seed: 1))
        #expect(swept.nats["home"]?.behavior.tcp.filtering == .addressAndPortDependent)
        #expect(swept.nats["home"]?.behavior.filtering == .addressDependent)
    }

    /// Found when the scenario is decoded, before any run builds a network.
    @Test func unknownPresetIsAPositionedError() throws {
        let text = Self.text.replacingOccurrences(of: "preset: cgnat", with: "preset: cgnot")
        #expect {
            try ScenarioFile(text: text, path: "b.yaml").scenario(at: 0)
        } throws: { error in
            "\(error)".hasPrefix("b.yaml:5:20:") && "\(error)".contains("did you mean 'cgnat'")
        }
    }
}

enum LinkParametersFixture {
    static func loss50() throws -> LinkParameters {
        let doc = try YAMLNode.parse("{ loss: 50% }", file: "x")
        return try LinkParameters(try doc.fields(allowed: LinkParameters.keys))
    }
}
