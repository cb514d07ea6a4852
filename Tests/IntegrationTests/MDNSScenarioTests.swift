import Foundation
import Records
import Scenario
import Testing

/// mDNS host candidates (draft-ietf-mmusic-mdns-ice-candidates) as browsers send them:
/// resolved on the sender's local network, dropped elsewhere, so a public browser's host
/// address is learned as peer-reflexive and two hidden public hosts cannot pair at all.
@Suite struct MDNSScenarioTests {
    static let scenario = """
    name: mdns
    duration: 4s
    network:
      nats:
        home: { preset: port-restricted-cone }
      hosts:
        alice: { behind: home }
        carol: { behind: home }
        bob: { behind: home }
        sfu: {}
        edge: {}
      servers:
        stun1: { kind: stun }
    sessions:
      - { name: lan, offerer: alice, answerer: carol, ice-servers: [stun1], ice: { mdns: true } }
      - { name: both-hidden, offerer: sfu, answerer: edge, ice: { mdns: true } }
      - { name: public-browser, offerer: sfu, answerer: edge, ice: { mdns: answerer } }
      - { name: public-plain, offerer: sfu, answerer: edge }
      - { name: nat-browser, offerer: bob, answerer: sfu, ice-servers: [stun1], ice: { mdns: offerer } }
    expect:
      - { session: lan, selected-pair: host-host }
      - { session: both-hidden, connected: false }
      - { session: public-browser, selected-pair: host-prflx }
      - { session: public-plain, selected-pair: host-host }
      - { session: nat-browser, selected-pair: srflx-host }
    """

    static func run(_ text: String = scenario) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: text, path: "mdns.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options())
    }

    @Test func namesResolveOnlyOnTheLocalNetwork() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let mdns = result.events.filter { $0.kind == "mdns" }
        // Same NAT: both names resolve; across the internet none does.
        #expect(mdns.filter { $0.session == "lan" }.allSatisfy { $0.detail.contains(".local resolved to 10.") })
        #expect(mdns.contains { $0.session == "lan" })
        #expect(mdns.filter { $0.session != "lan" }.allSatisfy { $0.detail.hasSuffix("not resolved: candidate dropped") })
        // Only the hiding side's candidates go through mDNS: the SFU's arrive as addresses.
        #expect(mdns.filter { $0.session == "public-browser" }.allSatisfy { $0.source == "offerer" })
        #expect(mdns.filter { $0.session == "nat-browser" }.allSatisfy { $0.source == "answerer" })
        #expect(!mdns.contains { $0.session == "public-plain" })
    }

    @Test func badValueIsAScenarioError() {
        let text = Self.scenario.replacingOccurrences(of: "ice: { mdns: answerer }", with: "ice: { mdns: sometimes }")
        #expect(throws: ScenarioError.self) { _ = try Self.run(text) }
        do {
            _ = try ScenarioFile(text: text, path: "mdns.yaml").scenario(at: 0)
        } catch {
            #expect("\(error)".contains("mdns.yaml:") && "\(error)".contains("expected one of: none, offerer, answerer, both"), "\(error)")
        }
    }
}
