import Foundation
import NetTypes
import Records
import Scenario
import TestSupport
import Testing

/// Data channels in simulated sessions (RFC 8831): SCTP over the session's DTLS
/// (RFC 8261), DCEP or negotiated channels, file, message and request-response
/// workloads; reliable transfers arrive whole and in order under loss, partially
/// reliable ones give up, the same seed gives the same bytes, and Wireshark decodes
/// the captures without malformed packets.
@Suite struct DataChannelScenarioTests {
    static let scenario = """
    name: data
    duration: 10s
    network:
      nats:
        home: { preset: port-restricted-cone }
      hosts:
        alice: { behind: home }
        bob: {}
      servers:
        stun1: { kind: stun }
      links:
        - { from: home, to: internet, latency: 20ms, loss: 0%, bandwidth: 20Mbps, queue: 50ms }
    sessions:
      - name: call
        offerer: alice
        answerer: bob
        ice-servers: [stun1]
        data:
          - { label: file, file: 1MB, message-size: 16KiB }
          - { label: chat, messages: { rate: 20/s, size: 200B } }
          - { label: state, ordered: false, max-retransmits: 0, messages: { rate: 50/s, size: 1000B } }
          - { label: rpc, direction: answerer-to-offerer, negotiated: 7, request-response: { rate: 5/s, request: 100B, response: 3KB } }
    expect:
      - { session: call, channel: file, open-within: 2s }
      - { session: call, channel: file, transfer-within: 8s }
      - { session: call, channel: chat, delivered-at-least: 90% }
    """

    static func run(loss: String = "0%", seed: UInt64 = 1, pcap: String? = nil, withoutFile: Bool = false,
                    duration: String = "10s") throws -> RunResult {
        var text = scenario.replacingOccurrences(of: "loss: 0%", with: "loss: \(loss)")
            .replacingOccurrences(of: "duration: 10s", with: "duration: \(duration)")
        if withoutFile {
            text = text.replacingOccurrences(of: "      - { label: file, file: 1MB, message-size: 16KiB }\n", with: "")
                .replacingOccurrences(of: "  - { session: call, channel: file, open-within: 2s }\n", with: "")
                .replacingOccurrences(of: "  - { session: call, channel: file, transfer-within: 8s }\n", with: "")
        }
        text = text
            .replacingOccurrences(of: "name: data\n", with: "name: data\nseed: \(seed)\n")
        let (point, scenario) = try ScenarioFile(text: text, path: "data.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: pcap))
    }

    static func channels(_ result: RunResult) -> [String: DataChannelResult] {
        Dictionary(uniqueKeysWithValues: result.dataChannels.map { ($0.label, $0) })
    }

    @Test func channelsOpenAndCarryTheirWorkloads() throws {
        let result = try Self.run()
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "") \(result.expectations.filter { !$0.passed }.map(\.message))")
        let c = Self.channels(result)
        let file = try #require(c["file"]), chat = try #require(c["chat"]), rpc = try #require(c["rpc"]), state = try #require(c["state"])
        let dtls = try #require(result.sessions.first?.dtlsTime)
        // The channel opens after DTLS: SCTP's four-way handshake, then DCEP's OPEN/ACK.
        let open = try #require(file.openTime)
        #expect(open > dtls, "\(open) \(dtls)")
        #expect(file.bytesSent == 1_000_000 && file.bytesDelivered == 1_000_000 && file.completedTime != nil)
        #expect(file.messagesSent == 62 && file.messagesDelivered == 62 && file.messagesOutOfOrder == 0)
        #expect(file.kind == "file" && file.reliability == "reliable" && file.ordered)
        #expect(chat.messagesDelivered >= chat.messagesSent - 2 && chat.messagesSent > 100)
        #expect(try #require(chat.latencyP50) >= 20, "one-way latency is at least the path's 20 ms")
        #expect(state.kind == "messages" && !state.ordered && state.reliability == "max-retransmits=0")
        // Request-response: the answerer opened a negotiated channel; responses come back.
        #expect(rpc.direction == "answerer-to-offerer" && rpc.messagesDelivered > 30)
        #expect(try #require(rpc.latencyP50) >= 40, "a request and its response cross the path twice")
        // Series per channel under SESSION/LABEL.
        let names = Set(result.series.filter { $0.session == "call/file" }.map(\.name))
        #expect(names == Set(DataChannelSeries.all))
        let bits = result.series.filter { $0.session == "call/file" && $0.name == DataChannelSeries.goodput }.reduce(0.0) { $0 + $1.value * 0.1 }
        #expect(abs(bits - 8_000_000) < 1)
    }

    /// The file shares the loss-limited rate with the other channels (weighted fair
    /// scheduler, equal priorities): it gets 20 s.
    @Test func reliableTransferSurvivesLossWholeAndInOrder() throws {
        for seed: UInt64 in 1...2 {
            let c = Self.channels(try Self.run(loss: "5%", seed: seed, duration: "20s"))
            let file = try #require(c["file"])
            #expect(file.bytesDelivered == 1_000_000 && file.messagesDelivered == 62, "seed \(seed)")
            #expect(file.messagesOutOfOrder == 0 && file.messagesAbandoned == 0)
            #expect(file.retransmissions > 0)
            let chat = try #require(c["chat"])
            #expect(chat.messagesOutOfOrder == 0 && chat.messagesAbandoned == 0)
        }
    }

    /// Without the file, whose loss-limited transfer would take most of the rate.
    @Test func partialReliabilityAbandonsUnderLoss() throws {
        let state = try #require(Self.channels(try Self.run(loss: "10%", withoutFile: true))["state"])
        #expect(state.messagesAbandoned > 0, "\(state)")
        #expect(state.messagesDelivered + state.messagesAbandoned <= state.messagesSent)
        #expect(state.messagesDelivered > state.messagesSent / 2)
    }

    @Test func sameSeedSameResultsAndBytes() throws {
        let directories = [CaptureDirectory("data"), CaptureDirectory("data")]
        defer { for d in directories { d.remove() } }
        let results = try directories.map { try Self.run(loss: "3%", pcap: $0.path) }
        #expect(try !directories[0].captures().isEmpty)
        #expect(try directories[0].differingCaptures(from: directories[1]) == [])
        #expect(results[0].dataChannels == results[1].dataChannels)
        let series = results.map { $0.series.map { "\($0.session ?? "") \($0.name) \($0.time) \($0.value)" } }
        #expect(series[0] == series[1])
    }

    /// A 3 MB file in 256 KiB messages and a high-priority chat over a 3 Mbps
    /// bottleneck. With DATA each chat message waits for the file message being cut into
    /// chunks (up to 0.7 s at this rate); with I-DATA (`interleaving: true`) it leaves
    /// with the next fragment and waits only for what is already queued at the
    /// bottleneck. The file takes about as long either way.
    static func chatBesideBigFileMessages(interleaving: Bool) throws -> (chat: DataChannelResult, file: DataChannelResult) {
        let text = """
        name: interleaving
        duration: 15s
        network:
          hosts: { a: {}, b: {} }
          links:
            - { from: a, to: internet, latency: 20ms, bandwidth: 3Mbps, queue: 100ms }
            - { from: b, to: internet, latency: 20ms }
        sessions:
          - name: call
            offerer: a
            answerer: b
            data:
              - { label: file, file: 3MB, message-size: 256KiB }
              - { label: chat, priority: high, interleaving: \(interleaving), messages: { rate: 10/s, size: 200B } }
        """
        let (point, scenario) = try ScenarioFile(text: text, path: "interleaving.yaml").scenario(at: 0)
        let c = Self.channels(ScenarioRunner.run(index: 0, point: point, scenario: scenario))
        return (try #require(c["chat"]), try #require(c["file"]))
    }

    @Test func interleavingKeepsChatLatencyBesideBigFileMessages() throws {
        let data = try Self.chatBesideBigFileMessages(interleaving: false)
        let iData = try Self.chatBesideBigFileMessages(interleaving: true)
        for run in [data, iData] {
            #expect(run.file.bytesDelivered == 3_000_000 && run.file.completedTime != nil)
            #expect(run.chat.messagesOutOfOrder == 0 && run.chat.messagesDelivered >= run.chat.messagesSent - 2)
        }
        let dataP95 = try #require(data.chat.latencyP95), iDataP95 = try #require(iData.chat.latencyP95)
        #expect(dataP95 > 400, "DATA: the chat waits for a 256 KiB file message, p95 \(dataP95) ms")
        #expect(iDataP95 * 3 < dataP95, "I-DATA p95 \(iDataP95) ms vs DATA \(dataP95) ms")
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func capturesDecodeAsDTLS() throws {
        let capture = CaptureDirectory("data")
        defer { capture.remove() }
        _ = try Self.run(pcap: capture.path)
        let tshark = try #require(Tshark())
        for name in try capture.captures() {
            let (bad, status) = try tshark.run("\(capture.path)/\(name)", ["-Y", "_ws.malformed || _ws.expert.severity >= error"])
            #expect(status == 0)
            #expect(bad.isEmpty, "\(name): \(bad.prefix(3))")
        }
        // SCTP travels as DTLS application data (content type 23), encrypted.
        let (records, _) = try tshark.run("\(capture.path)/run0-internet-bob.pcap", ["-Y", "dtls.record.content_type == 23"])
        let names = try capture.captures()
        #expect(records.count > 500, "\(names)")
    }
}
