import Foundation
import NetTypes
import Records
import Scenario
import TestSupport
import Testing

/// Queue disciplines and ECN end to end: the shipped `Scenarios/aqm-ecn.yaml` (FQ-CoDel
/// keeps a video flow out of a bulk TCP flow's queue where drop-tail does not; ECN TCP
/// over CoDel is marked where non-ECN TCP is dropped), and identical rows and pcaps from
/// the same seed.
@Suite struct AQMScenarioTests {
    @Test func fqCodelIsolatesMediaAndECNTurnsDropsIntoMarks() async throws {
        let path = RmcatSuiteTests.directory.deletingLastPathComponent().appendingPathComponent("aqm-ecn.yaml").path
        let (point, scenario) = try ScenarioFile(path: path).scenario(at: 0)
        let result = try await onOwnThread { ScenarioRunner.run(index: 0, point: point, scenario: scenario) }
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let links = Dictionary(uniqueKeysWithValues: result.links.filter { $0.direction == "forward" }.map { ($0.link, $0) })
        let fq = try #require(links["alice-internet"]), fifo = try #require(links["carol-internet"])
        let ecn = try #require(links["dave-internet"]), plain = try #require(links["erin-internet"])
        // Drop-tail: TCP keeps the 300 ms queue full. FQ-CoDel: short per-flow queues.
        #expect(fifo.queueDelayP50! > .milliseconds(150) && fifo.droppedQueue > 0 && fifo.droppedAQM == 0)
        #expect(fq.queueDelayP50! < .milliseconds(20) && fq.droppedAQM > 0 && fq.droppedQueue == 0)
        // The video flows' own queueing delay from 10 s on.
        let window = TimeWindow(from: .seconds(10), to: .seconds(60))
        let flows = FlowSeries.grouped(result.series)
        let isolated = try #require(flows["fq-codel/0"]?.queueDelayP95(in: window))
        let queued = try #require(flows["drop-tail/0"]?.queueDelayP95(in: window))
        #expect(isolated < 60 && queued > 150, "p95 \(isolated) ms under FQ-CoDel, \(queued) ms under drop-tail")
        // ECN: CoDel marks the ECN flow instead of dropping it; no retransmission needed.
        #expect(ecn.ceMarked > 0 && ecn.droppedAQM == 0)
        #expect(plain.ceMarked == 0 && plain.droppedAQM > 0)
        let tcp = Dictionary(uniqueKeysWithValues: result.tcpFlows.map { ($0.flow, $0) })
        #expect(tcp["tcp-ecn"]?.retransmissions == 0 && (tcp["tcp-no-ecn"]?.retransmissions ?? 0) > 0)
    }

    static let small = """
    name: aqm-small
    duration: 6s
    network:
      hosts: { alice: {}, bob: {} }
      links:
        - { from: alice, to: internet, latency: 20ms, bandwidth: 2Mbps, queue: 200ms, aqm: { kind: fq-codel, l4s-step: 1ms } }
    cross-traffic:
      - { kind: tcp-bulk, name: ecn, from: alice, to: bob, congestion-control: cubic, ecn: true }
      - { kind: tcp-bulk, name: plain, from: alice, to: bob, congestion-control: newreno }
    """

    /// Same seed, same links rows and byte-identical pcaps (FQ-CoDel's flow hash is keyed
    /// from the seed, marks and drops repeat).
    @Test func sameSeedGivesIdenticalLinksAndPcaps() throws {
        let directories = (0..<2).map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("icelab-aqm-\(UUID().uuidString)").path }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        let results = try directories.map { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let (point, scenario) = try ScenarioFile(text: Self.small, path: "aqm.yaml").scenario(at: 0)
            return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: .init(pcapDirectory: directory))
        }
        #expect(results[0].links == results[1].links)
        #expect(results[0].links.contains { $0.ceMarked > 0 })
        let files = try FileManager.default.contentsOfDirectory(atPath: directories[0]).sorted()
        let others = try FileManager.default.contentsOfDirectory(atPath: directories[1]).sorted()
        #expect(!files.isEmpty && files == others)
        for file in files {
            let a = try Data(contentsOf: URL(fileURLWithPath: directories[0]).appendingPathComponent(file))
            let b = try Data(contentsOf: URL(fileURLWithPath: directories[1]).appendingPathComponent(file))
            #expect(a == b, "\(file)")
        }
    }
}
