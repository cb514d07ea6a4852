import Foundation
import Records
import Scenario
import TestSupport
import Testing

/// TURN over TCP and TLS end to end (RFC 8656 §3.1, RFC 7065 URIs in `ice-servers`): a
/// host whose firewall blocks all UDP connects through TURN/TLS on 443 while one behind
/// an allow-outbound firewall still connects directly; the TLS bytes are the same seed for
/// seed (certificates from the run's seed and simulated time), and Wireshark decodes the
/// capture as TLS and STUN over TCP without malformed packets.
@Suite struct TURNStreamScenarioTests {
    static let scenario = """
    name: turn-tls
    duration: 6s
    network:
      nats:
        home: { preset: port-restricted-cone }
      firewalls:
        locked: { preset: block-all-udp }
        open: { preset: allow-outbound-only }
        hotel: { preset: allow-only-tcp-80-443 }
      hosts:
        bob: { behind: home }
        erin: { behind: locked }
        carol: { behind: open }
        frank: { behind: hotel }
      servers:
        stun1: { kind: stun }
        turn1: { kind: turn, users: { bob: pw, erin: pw, carol: pw, frank: pw }, tcp: true, tls-port: 443 }
    sessions:
      - { name: tls-only, offerer: erin, answerer: bob, ice-servers: [stun1, "turns:turn1:443"] }
      - { name: direct, offerer: carol, answerer: bob, ice-servers: [stun1, "turns:turn1"] }
      - { name: tcp-blocked, offerer: frank, answerer: bob, ice-servers: [stun1, "turn:turn1?transport=tcp"] }
    expect:
      - { session: tls-only, connected-within: 2s, relay: true }
      - { session: direct, connected-within: 2s, relay: false }
      - { session: tcp-blocked, connected: false }
    """

    static func run(pcap: String? = nil) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: scenario, path: "turn-tls.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: pcap))
    }


    @Test func blockedUDPConnectsThroughTURNOverTLS() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let sessions = Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.name, $0) })
        #expect(sessions["tls-only"]?.relayProtocol == "tls")
        #expect(sessions["direct"]?.relayProtocol == nil)
        // The relayed candidate over TLS ranks below the host and server-reflexive ones.
        let relay = sessions["tls-only"]?.candidates.first { $0.agent == "offerer" && $0.type == "relay" }
        #expect(relay != nil && relay!.priority < 1 << 24)
    }

    @Test func sameSeedSameTLSBytes() throws {
        let directories = [CaptureDirectory("turn-tls"), CaptureDirectory("turn-tls")]
        defer { for d in directories { d.remove() } }
        for directory in directories { _ = try Self.run(pcap: directory.path) }
        #expect(try !directories[0].captures().isEmpty)
        #expect(try directories[0].differingCaptures(from: directories[1]) == [])
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func capturesDecodeAsTLSAndSTUNOverTCP() throws {
        let capture = CaptureDirectory("turn-tls")
        defer { capture.remove() }
        let directory = capture.path
        _ = try Self.run(pcap: directory)
        let tshark = try #require(Tshark())
        var protocols: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".pcap") {
            let (lines, status) = try tshark.run("\(directory)/\(name)", ["-d", "tcp.port==3478,stun", "-T", "fields",
                                                                          "-e", "frame.protocols", "-e", "_ws.malformed", "-e", "_ws.expert.severity"])
            #expect(status == 0)
            for line in lines {
                #expect(!line.contains("malformed"), "\(name): \(line)")
                for proto in ["tls", "stun"] where line.contains(":\(proto)") { protocols[proto, default: 0] += 1 }
            }
        }
        #expect((protocols["tls"] ?? 0) > 10, "\(protocols)")
    }
}
