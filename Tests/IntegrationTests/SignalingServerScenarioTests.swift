import Foundation
import NetTypes
import Records
import Scenario
import TestSupport
import Testing

/// Signaling through a `kind: signaling` server node: each side's host opens a TCP
/// connection through its NAT to the server, does the WebSocket handshake and joins the
/// session's room; the SDP travels as the JSON messages `icelab signal-server` relays, so
/// delay, loss (TCP retransmissions) and order come from the network path.
@Suite struct SignalingServerScenarioTests {
    static let scenario = """
    name: sigserver
    duration: 10s
    network:
      nats:
        home: { preset: port-restricted-cone }
        office: { preset: full-cone }
      firewalls:
        hotel: { preset: allow-only-tcp-80-443 }
      hosts:
        alice: { behind: home }
        bob: { behind: office }
        carol: { behind: hotel }
      servers:
        stun1: { kind: stun }
        sig: { kind: signaling }
        sig8080: { kind: signaling, port: 8080 }
      links:
        - { from: home, to: internet, latency: 20ms }
        - { from: office, to: internet, latency: 10ms }
        - { from: hotel, to: internet, latency: 10ms }
        - { from: sig, to: internet, latency: SIGDELAY, loss: SIGLOSS }
        - { from: sig8080, to: internet, latency: 5ms }
    sessions:
      - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { server: sig }, media: [{ kind: audio, direction: both }] }
    """

    static func run(delay: String = "5ms", loss: String = "0%", extra: String = "", seed: UInt64 = 1, pcap: String? = nil) throws -> RunResult {
        let text = scenario.replacingOccurrences(of: "SIGDELAY", with: delay).replacingOccurrences(of: "SIGLOSS", with: loss)
            .replacingOccurrences(of: "name: sigserver\n", with: "name: sigserver\nseed: \(seed)\n") + extra
        let (point, scenario) = try ScenarioFile(text: text, path: "sigserver.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: pcap))
    }

    static func session(_ result: RunResult, _ name: String = "call") throws -> SessionResult {
        try #require(result.sessions.first { $0.name == name })
    }

    static func signalingEvents(_ result: RunResult, _ name: String = "call") -> [String] {
        result.events.filter { $0.session == name && $0.kind == "signaling" }.map { "\($0.time) \($0.source) \($0.detail)" }
    }

    @Test func aSessionSignalsThroughTheServerNode() throws {
        let result = try Self.run()
        let call = try Self.session(result)
        #expect(call.connected, "\(Self.signalingEvents(result))")
        let events = Self.signalingEvents(result)
        #expect(events.contains { $0.contains("offerer TCP connected") }, "\(events)")
        #expect(events.contains { $0.contains("joined room 'call'") }, "\(events)")
        // The offer is still logged as SDP text.
        #expect(result.events.contains { $0.session == "call" && $0.kind == "offer" && $0.detail.hasPrefix("v=0\r\n") })
        #expect(call.signalingTime != nil)
    }

    /// Names that are not valid room names, or read alike once made valid, still get a
    /// room each: both calls connect and neither finds its room full.
    @Test func sessionNamesThatAreNotRoomNamesGetRoomsOfTheirOwn() throws {
        let extra = """
              - { name: "a b", offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { server: sig } }
              - { name: "a:b", offerer: alice, answerer: bob, ice-servers: [stun1], signaling: { server: sig } }

            """
        let result = try Self.run(extra: "\n" + extra)
        for name in ["a b", "a:b"] {
            #expect(try Self.session(result, name).connected, "\(Self.signalingEvents(result, name))")
            #expect(!Self.signalingEvents(result, name).contains { $0.contains("full") }, "\(Self.signalingEvents(result, name))")
            #expect(Self.signalingEvents(result, name).contains { $0.contains("joined room 'a_b-") })
        }
    }

    @Test func signalingTimeGrowsWithThePathDelay() throws {
        let fast = try #require(try Self.session(Self.run(delay: "5ms")).signalingTime)
        let slow = try #require(try Self.session(Self.run(delay: "100ms")).signalingTime)
        // Before the answer is back: TCP and WebSocket handshakes, join, the offer to the
        // server and on, the answer back: each crosses the server's link several times.
        #expect(slow >= fast + .milliseconds(95 * 6), "fast \(fast), slow \(slow)")
    }

    @Test func aLossyPathStillConnectsThroughRetransmissions() throws {
        let clean = try #require(try Self.session(Self.run(loss: "0%")).signalingTime)
        var slower = 0
        for seed in UInt64(1)...3 {
            let result = try Self.run(loss: "10%", seed: seed)
            let call = try Self.session(result)
            #expect(call.connected, "seed \(seed): \(result.events.filter { $0.session == "call" }.map { "\($0.time) \($0.source) \($0.kind) \($0.detail.prefix(40))" })")
            #expect(call.signalingLost == 0)
            if let time = call.signalingTime, time > clean + .milliseconds(200) { slower += 1 }
        }
        // Some run lost a segment that gated the exchange and waited for its retransmission.
        #expect(slower > 0)
    }

    @Test func aFirewallBlockingTheServerFailsSignalingWithAReason() throws {
        // A web-only hotel firewall lets TCP out to ports 80 and 443 only.
        let extra = "\n  - { name: blocked, offerer: carol, answerer: bob, ice-servers: [stun1], signaling: { server: sig8080 } }\n"
        let result = try Self.run(extra: extra)
        let blocked = try Self.session(result, "blocked")
        #expect(!blocked.connected)
        #expect(blocked.signalingTime == nil)
        let events = Self.signalingEvents(result, "blocked")
        #expect(events.contains { $0.contains("offerer signaling failed: TCP connection to the signaling server not established") }, "\(events)")
        // The answerer got in; its peer never came.
        #expect(events.contains { $0.contains("answerer joined room 'blocked' (0 other members)") }, "\(events)")
        #expect(try Self.session(result).connected)
    }

    @Test func sameSeedSameRowsAndCaptures() throws {
        let directories = [CaptureDirectory("sigserver"), CaptureDirectory("sigserver")]
        defer { for d in directories { d.remove() } }
        let results = try directories.map { try Self.run(loss: "10%", pcap: $0.path) }
        #expect(try !directories[0].captures().isEmpty)
        #expect(try directories[0].differingCaptures(from: directories[1]) == [])
        let rows = results.map { $0.sessions.map { "\($0.name) \($0.connected) \(String(describing: $0.signalingTime)) \(String(describing: $0.connectedTime))" } }
        #expect(rows[0] == rows[1])
        #expect(results[0].events.map(\.detail) == results[1].events.map(\.detail))
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func capturesDecodeAsWebSocket() throws {
        let capture = CaptureDirectory("sigserver")
        defer { capture.remove() }
        _ = try Self.run(loss: "10%", pcap: capture.path)
        let tshark = try #require(Tshark())
        for name in try capture.captures() {
            let (bad, status) = try tshark.run("\(capture.path)/\(name)", ["-Y", "_ws.malformed || _ws.expert.severity >= error"])
            #expect(status == 0)
            #expect(bad.isEmpty, "\(name): \(bad.prefix(3))")
        }
        let server = try #require(try capture.captures().first { $0.hasSuffix("-sig.pcap") })
        let (texts, _) = try tshark.run("\(capture.path)/\(server)", ["-Y", "websocket.payload.text", "-T", "fields", "-e", "websocket.payload.text"])
        #expect(texts.contains { $0.hasPrefix(#"{"type":"join","room":"call"}"#) }, "\(texts.prefix(3))")
        #expect(texts.contains { $0.hasPrefix(#"{"type":"offer","sdp":"v=0"#) }, "\(texts.prefix(3))")
        #expect(texts.contains { $0.hasPrefix(#"{"type":"candidate","candidate":{"candidate":"candidate:"#) }, "\(texts.prefix(3))")
        let (upgrades, _) = try tshark.run("\(capture.path)/\(server)", ["-Y", "http.response.code == 101"])
        #expect(upgrades.count == 2)
    }
}
