import Foundation
import Records
import Scenario
import TestSupport
import Testing

/// ICE-TCP end to end (RFC 6544, `ice: { tcp-candidates: true }`): a host whose firewall
/// blocks all UDP reaches a server on a public address directly over TCP, from either
/// side of the offer; without TCP candidates the call fails; behind a NAT UDP still wins.
/// Two hosts behind such firewalls (each drops every unsolicited inbound SYN) connect
/// directly only through simultaneous-open candidates (`tcp-simultaneous-open`): the
/// first SYN dies at the far firewall but opens the near one for the peer's (RFC 9293
/// §3.5 Figure 8); active and passive candidates alone cannot. Captures are the same seed
/// for seed and Wireshark decodes the RFC 4571-framed STUN and media and the simultaneous
/// opens without malformed packets or expert errors.
@Suite struct ICETCPScenarioTests {
    static let scenario = """
    name: ice-tcp
    duration: 4s
    network:
      nats:
        home: { preset: port-restricted-cone }
      firewalls:
        locked: { preset: block-all-udp }
        locked-too: { preset: block-all-udp }
      hosts:
        sfu: {}
        erin: { behind: locked }
        bob: { behind: home }
        grace: { behind: locked-too }
    sessions:
      - { name: to-server, offerer: erin, answerer: sfu, ice: { tcp-candidates: true },
          media: [{ kind: video, direction: both }] }
      - { name: from-server, offerer: sfu, answerer: erin, ice: { tcp-candidates: true } }
      - { name: nat-to-server, offerer: bob, answerer: sfu, ice: { tcp-candidates: true } }
      - { name: no-tcp, offerer: erin, answerer: sfu }
      - { name: so, offerer: erin, answerer: grace, ice: { tcp-candidates: true, tcp-simultaneous-open: true },
          media: [{ kind: video, direction: both }] }
      - { name: active-passive, offerer: erin, answerer: grace, ice: { tcp-candidates: true } }
    expect:
      - { session: to-server, connected-within: 1s, path: direct/tcp, selected-pair: host-host }
      - { session: from-server, connected-within: 1s, path: direct/tcp, selected-pair: host-prflx }
      - { session: nat-to-server, connected-within: 1s, path: direct }
      - { session: no-tcp, connected: false }
      - { session: to-server, flow: 0, loss-below: 1% }
      - { session: to-server, flow: 1, loss-below: 1% }
      - { session: so, connected-within: 2s, path: direct/tcp, selected-pair: host-host }
      - { session: active-passive, connected: false }
      - { session: so, flow: 0, loss-below: 1% }
      - { session: so, flow: 1, loss-below: 1% }
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

    @Test func firewalledHostsConnectThroughSimultaneousOpen() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let so = try #require(result.sessions.first { $0.name == "so" })
        #expect(so.selectedProtocol == "tcp" && so.relayUsed == false)
        // Both agents gathered passive, active and S-O host candidates on both addresses
        // (IPv4 and IPv6).
        let tcp = so.candidates.filter { $0.transport == "tcp" }
        #expect(Set(tcp.map(\.agent)) == ["offerer", "answerer"] && tcp.count == 3 * 2 * 2, "\(tcp.map(\.address))")
        // The pairs that succeeded over TCP join signalled host candidates, none from an
        // active candidate (port 9): S-O with S-O (a passive local pair would have a
        // peer-reflexive remote).
        let tcpAddresses = Set(tcp.map(\.address))
        let succeeded = so.pairs.filter { $0.state == "succeeded" && tcpAddresses.contains($0.local) }
        #expect(!succeeded.isEmpty && succeeded.allSatisfy { $0.local.port != 9 && $0.remoteType == "host" })
        let received = result.series.filter { $0.session?.hasPrefix("so/") == true && $0.name == "received_bps" }.map(\.value)
        #expect((received.max() ?? 0) > 1_000_000)
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
        // Grace listens on no S-O port, yet her link carries SYN-ACKs: those of the
        // simultaneous opens (RFC 9293 §3.5 Figure 8), each answering the SYN that crossed
        // the answering side's own.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        let grace = try #require(files.first { $0.hasSuffix(".pcap") && $0.contains("grace") })
        let (synACKs, _) = try tshark.run("\(directory)/\(grace)", ["-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 1"])
        #expect(!synACKs.isEmpty)
    }
}
