import Foundation
import NetTypes
import RTP
import Records
import Scenario
import Simulator
import TestSupport
import Testing

/// `icelab run --rtp-log DIR`: the RTP log of RFC 8868 §3.1 for every media flow and
/// direction, checked against the run's pcap and the flow's exact 200 ms counters, and
/// byte-identical from run to run.
@Suite struct RTPLogScenarioTests {
    /// Video and audio from alice to bob in clear (no DTLS, so the capture shows the RTP
    /// headers as sent) over a link with room to spare: nothing lost, nothing retransmitted,
    /// nothing in flight when the run ends.
    static let text = scenario(name: "rtp-log", media: ["{ kind: video, bottleneck: alice-internet, max-rate: 1Mbps, stop: 5s }",
                                                        "{ kind: audio, bitrate: 20kbps, stop: 5s }"])

    /// Six seconds of one session from alice to bob in clear over alice's 10 Mbps access
    /// link (with `loss` on it, if given), carrying the `media` entries.
    static func scenario(name: String, loss: String? = nil, media: [String]) -> String {
        """
        name: \(name)
        duration: 6s
        network:
          hosts: { alice: {}, bob: {} }
          links:
            - { from: alice, to: internet, latency: 20ms, \(loss.map { "loss: \($0), " } ?? "")bandwidth: 10Mbps, queue: 200ms }
        sessions:
          - name: call
            offerer: alice
            answerer: bob
            dtls: false
            media:
        \(media.map { "      - \($0)" }.joined(separator: "\n"))
        """
    }
    static let ssrcs: [UInt32] = [0x5649_4400, 0x4155_4401]

    static func run(into directory: CaptureDirectory, pcap: Bool) throws -> RunResult {
        let (point, scenario) = try ScenarioFile(text: text, path: "rtp-log.yaml").scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario,
                                  options: ScenarioRunner.Options(pcapDirectory: pcap ? directory.path : nil, rtpLogDirectory: directory.path))
    }

    static func log(_ directory: CaptureDirectory, _ name: String) throws -> [RTPLogRecord] {
        try RTPLog.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(directory.path)/\(name)")), as: UTF8.self))
    }

    static func ignoringTime(_ records: [RTPLogRecord]) -> [RTPLogRecord] {
        records.map { var r = $0; r.time = .zero; return r }
    }

    /// The sent log is what entered alice's access link; the received log the same packets
    /// later; the 200 ms sending rate the flow's captured RTP and RTCP bytes per interval,
    /// and goodput the received payload bytes per interval.
    @Test func logAgreesWithTheCaptureAndTheCounters() throws {
        let directory = CaptureDirectory("rtp-log")
        defer { directory.remove() }
        let result = try Self.run(into: directory, pcap: true)
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "")")
        let logs = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".log") }.sorted()
        #expect(logs == ["run0-call-0-received.log", "run0-call-0-sent.log", "run0-call-1-received.log", "run0-call-1-sent.log"])
        let capture = try PcapReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory.path)/run0-internet-alice.pcap"))))
        var captured: [UInt32: [RTPLogRecord]] = [:]
        var wire: [UInt32: [(time: Duration, bytes: Int)]] = [:]
        for record in capture.records {
            guard let payload = ReceiverReportCapture.udpPayload(of: record.bytes), payload.count >= 12, payload[0] >> 6 == 2 else { continue }
            let offset = RTPPacket.isRTCP(payload) ? 4 : 8
            let ssrc = payload[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard Self.ssrcs.contains(ssrc) else { continue }
            wire[ssrc, default: []].append((record.time - .zero, payload.count))
            if !RTPPacket.isRTCP(payload) { captured[ssrc, default: []].append(try RTPLogRecord(packet: payload, time: record.time - .zero)) }
        }
        let flows = FlowSeries.grouped(result.series)
        for (index, ssrc) in Self.ssrcs.enumerated() {
            let sent = try Self.log(directory, "run0-call-\(index)-sent.log"), received = try Self.log(directory, "run0-call-\(index)-received.log")
            #expect(sent.count > 100 && sent.allSatisfy { $0.ssrc == ssrc })
            #expect(sent == captured[ssrc] ?? [], "flow \(index): the sent log differs from the capture")
            #expect(Self.ignoringTime(received) == Self.ignoringTime(sent))
            #expect(zip(sent, received).allSatisfy { $0.time < $1.time })
            let flow = try #require(flows["call/\(index)"])
            let rates = flow.timedValues(FlowSeries.Name.sent200ms), goodput = flow.timedValues(FlowSeries.Name.goodput200ms)
            #expect(rates.count >= 20 && goodput.count == rates.count)
            let seconds = FlowSeries.rateInterval.seconds
            for (rate, delivered) in zip(rates, goodput) {
                let interval = (rate.time - FlowSeries.rateInterval)..<rate.time
                let bytes = (wire[ssrc] ?? []).filter { interval.contains($0.time) }.reduce(0) { $0 + $1.bytes }
                let payload = received.filter { interval.contains($0.time) }.reduce(0) { $0 + $1.payloadSize }
                #expect(rate.value == Double(bytes) * 8 / seconds, "flow \(index), interval ending \(rate.time)")
                #expect(delivered.value == Double(payload) * 8 / seconds, "flow \(index), interval ending \(rate.time)")
            }
            let receivedRates = flow.values(FlowSeries.Name.received200ms)
            #expect(zip(receivedRates, goodput).allSatisfy { $0 >= $1.value })
        }
        // The video flow's sending rate over its 10 Mbps bottleneck; audio has no bottleneck.
        let video = try #require(flows["call/0"])
        #expect(zip(video.values(FlowSeries.Name.utilization200ms), video.values(FlowSeries.Name.sent200ms)).allSatisfy { $0 == $1 / 10_000_000 })
        #expect(flows["call/1"]?.values(FlowSeries.Name.utilization200ms).isEmpty == true)
    }

    /// With FlexFEC and no NACK on a lossy link, goodput is the payload of the media
    /// packets' first arrivals (from the received log) plus what FEC restored: more than
    /// the arrivals alone once repairs land, never more than was sent.
    @Test func goodputCountsWhatFECRestored() throws {
        let text = Self.scenario(name: "fec-goodput", loss: "5%",
                                 media: ["{ kind: video, max-rate: 1Mbps, stop: 5s, recovery: { fec: flexfec, fec-rate: 0.3, fec-mask: random } }"])
        let directory = CaptureDirectory("fec-goodput")
        defer { directory.remove() }
        let (point, scenario) = try ScenarioFile(text: text, path: "fec-goodput.yaml").scenario(at: 0)
        let result = ScenarioRunner.run(index: 0, point: point, scenario: scenario,
                                        options: ScenarioRunner.Options(rtpLogDirectory: directory.path))
        let flow = try #require(FlowSeries.grouped(result.series)["call/0"])
        let recovered = flow.values(FlowSeries.Name.fecRecovered).last ?? 0
        #expect(recovered > 10)
        let received = try Self.log(directory, "run0-call-0-received.log").filter { $0.ssrc == Self.ssrcs[0] }
        var firstArrivals: Set<UInt16> = []
        let arrived = received.reduce(0) { total, record in firstArrivals.insert(record.sequenceNumber).inserted ? total + record.payloadSize : total }
        let sent = try Self.log(directory, "run0-call-0-sent.log").filter { $0.ssrc == Self.ssrcs[0] }.reduce(0) { $0 + $1.payloadSize }
        let goodput = flow.values(FlowSeries.Name.goodput200ms).reduce(0) { $0 + $1 * FlowSeries.rateInterval.seconds / 8 }
        #expect(goodput > Double(arrived) && goodput <= Double(sent), "goodput \(goodput) B, arrivals \(arrived) B, sent \(sent) B")
    }

    /// `icelab run --rtp-log DIR` writes the logs; with the netns backend it is a usage error.
    @Test(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
    func commandLineWritesTheLogs() async throws {
        let directory = CaptureDirectory("rtp-log-cli")
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let scenario = "\(directory.path)/rtp-log.yaml", logs = "\(directory.path)/logs"
        try Self.text.write(toFile: scenario, atomically: true, encoding: .utf8)
        let run = try await ChildProcess.run(IcelabExecutable.url!, ["run", scenario, "--db", "\(directory.path)/r.sqlite", "--no-report", "--rtp-log", logs])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: logs).sorted()
                == ["run0-call-0-received.log", "run0-call-0-sent.log", "run0-call-1-received.log", "run0-call-1-sent.log"])
        let netns = try await ChildProcess.run(IcelabExecutable.url!, ["run", scenario, "--backend", "netns", "--rtp-log", logs])
        #expect(netns.status == 2 && netns.stderr.contains("--rtp-log"), "\(netns.stderr)")
    }

    @Test func logsAreByteIdenticalFromRunToRun() throws {
        let first = CaptureDirectory("rtp-log-a"), second = CaptureDirectory("rtp-log-b")
        defer { first.remove(); second.remove() }
        _ = try Self.run(into: first, pcap: false)
        _ = try Self.run(into: second, pcap: false)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(names.count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: second.path).sorted() == names)
        for name in names {
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(first.path)/\(name)")) == Data(contentsOf: URL(fileURLWithPath: "\(second.path)/\(name)")), "\(name)")
        }
    }
}
