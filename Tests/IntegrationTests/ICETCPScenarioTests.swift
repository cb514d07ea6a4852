import Foundation
import Records
import Scenario
import TestSupport
import Testing

/// ICE-TCP end to end (RFC 6544, `ice: { tcp-candidates: true }`): a host whose firewall
/// blocks all UDP reaches a server on a public address directly over TCP, from either
/// side of the offer; without TCP candidates the call fails; behind a NAT UDP still wins.
/// Captures are the same seed for seed and Wireshark decodes the RFC 4571-framed STUN and
/// media without malformed packets or expert errors.
@Suite struct ICETCPScenarioTests {
    static let scenario = """
    name: ice-tcp
    duration: 4s
    network:
      nats:
        home: { preset: port-restricted-cone }
      firewalls:
        locked: { preset: block-all-udp }
      hosts:
        sfu: {}
        erin: { behind: locked }
        bob: { behind: home }
    sessions:
      - { name: to-server, offerer: erin, answerer: sfu, ice: { tcp-candidates: true },
          media: [{ kind: video, direction: both }] }
      - { name: from-server, offerer: sfu, answerer: erin, ice: { tcp-candidates: true } }
      - { name: nat-to-server, offerer: bob, answerer: sfu, ice: { tcp-candidates: true } }
      - { name: no-tcp, offerer: erin, answerer: sfu }
    expect:
      - { session: to-server, connected-within: 1s, path: direct/tcp, selected-pair: host-host }
      - { session: from-server, connected-within: 1s, path: direct/tcp, selected-pair: host-prflx }
      - { session: nat-to-server, connected-within: 1s, path: direct }
      - { session: no-tcp, connected: false }
      - { session: to-server, flow: 0, loss-below: 1% }
      - { session: to-server, flow: 1, loss-below: 1% }
    """

    static func run(pcap: String? = nil) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: scenario, path: "ice-tcp.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: pcap))
    }


    @Test func udpBlockedHostConnectsDirectlyOverTCP() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let sessions = Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.name, $0) })
        #expect(sessions["to-server"]?.selectedProtocol == "tcp")
        #expect(sessions["to-server"]?.relayUsed == false)
        // Video flowed over the TCP pair (RFC 4571 frames), both ways.
        let received = result.series.filter { $0.session?.hasPrefix("to-server/") == true && $0.name == "received_bps" }.map(\.value)
        #expect((received.max() ?? 0) > 1_000_000)
        // Both agents gathered passive and active TCP host candidates.
        let tcp = sessions["to-server"]?.candidates.filter { $0.transport == "tcp" } ?? []
        #expect(Set(tcp.map(\.agent)) == ["offerer", "answerer"] && tcp.count == 4 * 2, "\(tcp.map(\.address))")
    }

    @Test func sameSeedSameCaptures() throws {
        let directories = [CaptureDirectory("ice-tcp"), CaptureDirectory("ice-tcp")]
        defer { for d in directories { d.remove() } }
        for directory in directories { _ = try Self.run(pcap: directory.path) }
        #expect(try !directories[0].captures().isEmpty)
        #expect(try directories[0].differingCaptures(from: directories[1]) == [])
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func capturesDecodeAsFramedSTUNOverTCP() throws {
        let capture = CaptureDirectory("ice-tcp")
        defer { capture.remove() }
        let directory = capture.path
        _ = try Self.run(pcap: directory)
        let tshark = try #require(Tshark())
        var stunOverTCP = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".pcap") {
            let (bad, status) = try tshark.run("\(directory)/\(name)", ["-Y", "_ws.malformed || _ws.expert.severity >= error"])
            #expect(status == 0)
            #expect(bad.isEmpty, "\(name): \(bad.prefix(3))")
            let (stun, _) = try tshark.run("\(directory)/\(name)", ["-Y", "tcp && stun"])
            stunOverTCP += stun.count
        }
        #expect(stunOverTCP > 10)
    }
}
