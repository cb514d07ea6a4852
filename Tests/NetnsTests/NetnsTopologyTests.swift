import NetTypes
import Netns
import Scenario
import Simulator
import Testing

/// How a scenario becomes namespaces, veths, routes and nftables rules, and what the
/// netns backend refuses (positioned, before anything is built). No root needed.
@Suite struct NetnsTopologyTests {
    static let text = """
        name: plan
        duration: 5s
        network:
          nats:
            home: { preset: linux-masquerade }
            carrier: { preset: linux-masquerade-random-fully, conntrack-refused: true }
          firewalls:
            office: { preset: allow-outbound-only }
          hosts:
            alice: { behind: home }
            bob: { behind: office }
            phone: { behind: carrier }
          servers:
            stun1: { kind: stun }
          links:
            - { from: home, to: internet, loss: 2% }
        sessions:
          - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1], trickle: false }
        """

    static func plan(_ text: String = text) throws -> NetnsTopology {
        let scenario = try ScenarioFile(text: text, path: "plan.yaml").scenario(at: 0).scenario
        try NetnsScenarioRunner.check(scenario)
        return try NetnsTopology(scenario, network: SimulatedNetwork(scenario.network, simulation: Simulation(seed: 1)))
    }

    @Test func everyNodeIsANamespaceWithTheSimulatorsAddresses() throws {
        let plan = try Self.plan()
        #expect(plan.nodes.map(\.name) == ["internet", "home", "carrier", "office", "alice", "bob", "phone", "stun1"])
        let roles = Dictionary(uniqueKeysWithValues: plan.nodes.map { ($0.name, $0.role) })
        #expect(roles["home"] == .nat(.masquerade, routerFirewall: true))
        #expect(roles["carrier"] == .nat(.masqueradeRandomFully, routerFirewall: false))
        let alice = try #require(plan.nodes.first { $0.name == "alice" })
        #expect(alice.addresses.map(\.description) == ["10.1.0.2"])
        // A host behind the firewall keeps a public address, routed through the firewall.
        let bob = try #require(plan.nodes.first { $0.name == "bob" }).addresses[0]
        let office = try #require(plan.links.first { $0.child == "office" })
        #expect(office.parent == "internet" && office.routed == [bob])
        #expect(office.childAddresses.map(\.description) == ["169.254.3.2"])
        // Behind a NAT the gateway is the LAN's .1; elsewhere a link-local pair.
        let aliceLink = try #require(plan.links.first { $0.child == "alice" })
        #expect(aliceLink.parentAddress.description == "10.1.0.1")
        let home = try #require(plan.links.first { $0.child == "home" })
        #expect(home.parentAddress.description == "169.254.1.1" && home.lossUp == 0.02 && home.lossDown == 0.02)
        // The kernel here cannot delay packets: every latency is listed, none dropped silently.
        #expect(plan.notEmulated.contains { $0.hasPrefix("home → internet: latency") })
    }

    @Test func rulesetsFollowThePolicies() {
        let firewall = LinuxFirewall.ruleset(FirewallPolicy.blockAllUDP, wan: "v1b")
        #expect(firewall.contains("ct state established,related accept\n    meta l4proto udp drop\n    iifname != \"v1b\" accept\n    drop"))
        let web = LinuxFirewall.ruleset(FirewallPolicy.webOnly, wan: "v1b")
        #expect(web.contains("iifname != \"v1b\" meta l4proto tcp th dport 443 accept"))
        #expect(LinuxNAT.masquerade.ruleset(wan: "v1b", routerFirewall: true).contains("iifname \"v1b\" ct state new drop"))
        #expect(!LinuxNAT.masquerade.ruleset(wan: "v1b").contains("chain input"))
    }

    /// What Linux or the live peers cannot do is refused at its place in the file.
    @Test(arguments: [
        ("nats:\n    home: { preset: linux-masquerade }", "nats:\n    home: { preset: symmetric }", "plan.yaml:5:21", "Linux cannot express NAT 'home'"),
        ("home: { preset: linux-masquerade }", "home: { preset: linux-masquerade, hairpinning: true }", "plan.yaml:5:", "presets only ('hairpinning'"),
        ("trickle: false }", "trickle: true }", "plan.yaml:18:5", "write 'trickle: false'"),
        ("ice-servers: [stun1]", "ice-servers: [stun1], media: [{ kind: audio }]", "plan.yaml:18:5", "send media"),
        // IPv6 features (dual-stack LANs, NAT64, 464XLAT, IPv6 servers) are the simulator's only.
        ("home: { preset: linux-masquerade }", "home: { preset: linux-masquerade, ipv6: true }", "plan.yaml:5:", "presets only ('ipv6'"),
        ("home: { preset: linux-masquerade }", "home: { preset: linux-masquerade, nat64: true }", "plan.yaml:5:", "presets only ('nat64'"),
        ("stun1: { kind: stun }", "stun1: { kind: stun, ipv6: true }", "plan.yaml:14:5", "IPv4 networks only"),
    ])
    func refusals(original: String, replacement: String, place: String, message: String) throws {
        let text = Self.text.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.text)
        do {
            _ = try Self.plan(text)
            Issue.record("accepted: \(replacement)")
        } catch let error as ScenarioError {
            #expect(error.description.hasPrefix(place), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
