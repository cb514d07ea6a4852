import Foundation
import NetTypes
import Records
import Scenario
import TestSupport
import Testing

/// DTLS-SRTP in simulated sessions (RFC 8827 §6.5, RFC 5764): after ICE the answerer
/// (DTLS client) and the offerer handshake over the selected pair, media starts once
/// its sender has SRTP keys and travels protected; failures carry a reason; the same
/// seed gives the same bytes, certificates included, and Wireshark decodes the
/// handshake and the SRTP.
@Suite struct DTLSScenarioTests {
    static let scenario = """
    name: dtls
    duration: 5s
    network:
      nats:
        home: { preset: port-restricted-cone }
        office: { preset: full-cone }
        vpn: { preset: linux-masquerade }
      hosts:
        alice: { behind: home }
        bob: { behind: office }
        carol: { behind: vpn }
      servers:
        stun1: { kind: stun }
      links:
        - { from: home, to: internet, latency: 30ms }
        - { from: office, to: internet, latency: 10ms }
        - { from: vpn, to: internet, latency: 40ms, mtu: 576 }
    sessions:
      - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1], media: [{ kind: audio, direction: both }, { kind: video }] }
      - { name: clear, offerer: alice, answerer: bob, ice-servers: [stun1], dtls: false, media: [{ kind: audio }] }
      - { name: forged, offerer: alice, answerer: bob, ice-servers: [stun1], dtls: { fingerprint: mismatch }, media: [{ kind: audio }] }
      - { name: tunnel, offerer: carol, answerer: bob, ice-servers: [stun1], media: [{ kind: audio }] }
      - { name: tunnel-no-fallback, offerer: carol, answerer: bob, ice-servers: [stun1],
          dtls: { mtu-fallback: false, max-retransmissions: 2, initial-timeout: 100ms } }
      - { name: sha1, offerer: alice, answerer: bob, ice-servers: [stun1], dtls: { srtp-profiles: [aes-cm-128-hmac-sha1-80] },
          media: [{ kind: audio }] }
    expect:
      - { session: call, dtls: connected, dtls-within: 1s, media-within: 1s }
      - { session: forged, connected: true, dtls: failed, dtls-failure: fingerprint-mismatch }
      - { session: tunnel, dtls: connected, media-within: 3s }
      - { session: tunnel-no-fallback, connected: true, dtls-failure: mtu }
    """

    static func run(_ text: String = scenario, pcap: String? = nil) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: text, path: "dtls.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: pcap))
    }

    static func sessions(_ result: RunResult) -> [String: SessionResult] {
        Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.name, $0) })
    }

    @Test func handshakeAfterICEThenProtectedMedia() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let s = Self.sessions(result)
        let call = try #require(s["call"])
        let connected = try #require(call.connectedTime), dtls = try #require(call.dtlsTime), media = try #require(call.firstMediaTime)
        // Two round trips (ClientHello → server flight → client flight → Finished) of an
        // 80 ms path after ICE, and media right after.
        #expect(dtls > connected + .milliseconds(150) && dtls < connected + .milliseconds(200), "\(connected) \(dtls)")
        #expect(media >= dtls - .milliseconds(40) && media < dtls + .milliseconds(100), "\(dtls) \(media)")
        #expect(call.dtlsState == "connected" && call.dtlsRetransmissions == 0 && call.dtlsFailure == nil)
        #expect(call.srtpProfile == "SRTP_AEAD_AES_128_GCM")
        #expect(s["sha1"]?.srtpProfile == "SRTP_AES128_CM_SHA1_80")
        // Media of the protected call got through: every flow received packets.
        let received = result.series.filter { $0.session?.hasPrefix("call/") == true && $0.name == "received_bps" }
        #expect(Set(received.compactMap(\.session)) == ["call/0", "call/1", "call/2"])
        // Without DTLS, media starts as ICE connects and nothing about DTLS is recorded.
        let clear = try #require(s["clear"])
        #expect(clear.dtlsState == nil && clear.dtlsTime == nil && clear.srtpProfile == nil)
        #expect(try #require(clear.firstMediaTime) < media)
    }

    @Test func failuresCarryTheirReason() throws {
        let s = Self.sessions(try Self.run())
        let forged = try #require(s["forged"])
        #expect(forged.connected && forged.dtlsState == "failed" && forged.dtlsFailure == "fingerprint-mismatch")
        #expect(forged.firstMediaTime == nil, "no media without keys")
        let tunnel = try #require(s["tunnel"])
        #expect(tunnel.dtlsState == "connected" && tunnel.dtlsRetransmissions >= 3, "the large flight went three times before falling back")
        let stuck = try #require(s["tunnel-no-fallback"])
        #expect(stuck.dtlsState == "failed" && stuck.dtlsFailure == "mtu")
    }

    @Test func lossIsRepairedByRetransmission() throws {
        let lossy = Self.scenario.replacingOccurrences(of: "{ from: home, to: internet, latency: 30ms }",
                                                       with: "{ from: home, to: internet, latency: 30ms, loss: 25% }")
            .replacingOccurrences(of: "duration: 5s", with: "duration: 20s")
        var retransmitted = 0
        for seed in 1...4 {
            let text = lossy.replacingOccurrences(of: "name: dtls\n", with: "name: dtls\nseed: \(seed)\n")
            let call = try #require(Self.sessions(try Self.run(text))["call"])
            #expect(call.dtlsState == "connected", "seed \(seed): \(call.dtlsState ?? "off") \(call.dtlsFailure ?? "")")
            retransmitted += call.dtlsRetransmissions
        }
        #expect(retransmitted > 0)
    }

    @Test func sameSeedSameBytes() throws {
        let directories = [CaptureDirectory("dtls"), CaptureDirectory("dtls")]
        defer { for d in directories { d.remove() } }
        let results = try directories.map { try Self.run(pcap: $0.path) }
        #expect(try !directories[0].captures().isEmpty)
        #expect(try directories[0].differingCaptures(from: directories[1]) == [])
        let rows = results.map { $0.sessions.map { "\($0.name) \(String(describing: $0.dtlsTime)) \(String(describing: $0.firstMediaTime))" } }
        #expect(rows[0] == rows[1])
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func capturesDecodeAsDTLSAndSRTP() throws {
        let capture = CaptureDirectory("dtls")
        defer { capture.remove() }
        _ = try Self.run(pcap: capture.path)
        let tshark = try #require(Tshark())
        let bob = "\(capture.path)/run0-office-bob.pcap"
        for name in try capture.captures() {
            let (bad, status) = try tshark.run("\(capture.path)/\(name)", ["-Y", "_ws.malformed || _ws.expert.severity >= error"])
            #expect(status == 0)
            #expect(bad.isEmpty, "\(name): \(bad.prefix(3))")
        }
        // The handshake as Wireshark reads it: use_srtp offered (GCM first) and chosen.
        let profiles = ["-T", "fields", "-e", "dtls.use_srtp.protection_profile"]
        let (hello, _) = try tshark.run(bob, ["-Y", "dtls.handshake.type == 1"] + profiles)
        #expect(hello.contains("0x0007,0x0001") && hello.contains("0x0001"), "\(hello)")
        let (serverHello, _) = try tshark.run(bob, ["-Y", "dtls.handshake.type == 2"] + profiles)
        #expect(serverHello.contains("0x0007") && serverHello.contains("0x0001"), "\(serverHello)")
        // RTCP leaves as SRTCP (E flag, index and tag, RFC 3711 §3.4).
        let (srtcp, _) = try tshark.run(bob, ["-o", "rtp.heuristic_rtp:TRUE", "-Y", "srtcp"])
        #expect(!srtcp.isEmpty)
    }

    @Test func badDTLSSettingsAreScenarioErrors() throws {
        func error(_ dtls: String, expect extra: String = "") throws -> String {
            let text = Self.scenario.replacingOccurrences(of: "dtls: { srtp-profiles: [aes-cm-128-hmac-sha1-80] }", with: dtls)
                .replacingOccurrences(of: "expect:\n", with: "expect:\n\(extra)")
            do {
                _ = try ScenarioFile(text: text, path: "dtls.yaml").scenario(at: 0)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(try error("dtls: { mtu: 10 }").contains("dtls.yaml:"))
        #expect(try error("dtls: { srtp-profiles: [aes-gcm] }").contains("is not an SRTP profile"))
        #expect(try error("dtls: { srtp-profiles: [] }").contains("at least one"))
        #expect(try error("dtls: { mtu-fallback: true }").contains("a size in bytes or false"))
        #expect(try error("dtls: { fingerprint: wrong }").contains("expected one of: match, mismatch"))
        #expect(try error("dtls: { cookie: true }").contains("cookie"))
        #expect(try error("dtls: false", expect: "  - { session: sha1, dtls: connected }\n").contains("runs without DTLS"))
        #expect(try error("dtls: true", expect: "  - { session: sha1, dtls: connected, dtls-failure: mtu }\n").contains("contradicts"))
        #expect(try error("dtls: true", expect: "  - { session: sha1, media-within: 1s }\n") == "")
    }
}
