import Foundation
import NetTypes
import Records
import Scenario
import TestSupport
import Testing

/// The shipped RFC 8867 suite (Scenarios/rmcat, with RFC 8869's wireless cases): every
/// test case passes its criteria, and
/// every flow's loss figure is what its RTCP receiver reports say.
@Suite struct RmcatSuiteTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/rmcat")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The §5 cases: what the debug-build checks below run. The §6 and RFC 8869 cases add
    /// ten simulated minutes of media; their criteria are judged in release by `.ci/run`,
    /// which runs every file of the suite and fails on a failed expectation.
    static var section5Files: [String] { files.filter { $0.hasPrefix("5.") } }

    @Test func theSuiteIsComplete() {
        #expect(Self.files.map { String($0.prefix { $0 != "-" }) } == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "6.1", "6.2",
                                                                       "6.3", "8869", "8869"])
    }

    /// One run per test case, with captures: its criteria hold, and the loss the flows
    /// record (packets lost over packets expected) counts exactly as RTCP does (RFC 3550
    /// §6.4.1): up to each flow's last receiver report in the captures, the flow's
    /// `packets_expected` and `packets_lost` sum to the report's extended highest sequence
    /// + 1 (the sender numbers from 0, and its first packet meets an empty queue) and its
    /// cumulative number of packets lost.
    @Test(arguments: section5Files)
    func testCasePassesAndItsLossIsRTCPs(name: String) async throws {
        let captures = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-rmcat-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: captures) }
        let file = try ScenarioFile(path: Self.directory.appendingPathComponent(name).path)
        let (point, scenario) = try file.scenario(at: 0)
        let result = try await onOwnThread {
            ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: captures))
        }
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "") \(result.expectations.filter { !$0.passed }.map(\.message))")
        #expect(!scenario.mediaExpectations.isEmpty)

        let flows = FlowSeries.grouped(result.series)
        let reports = try ReceiverReportCapture(directory: captures).reports
        #expect(Set(reports.keys) == Set(flows.keys))
        for (label, flow) in flows.sorted(by: { $0.key < $1.key }) {
            let last = try #require(reports[label]?.last, "\(label): no receiver report")
            let time = last.time - Instant.zero
            let rtcp = (expected: Double(last.block.extendedHighestSequence) + 1, lost: Double(last.block.cumulativeLost))
            let recorded = flow.lossCount(in: TimeWindow(to: time + .nanoseconds(1)))
            #expect(recorded == rtcp, "\(label): recorded \(recorded), RTCP at \(time) \(rtcp)")
        }
    }

    /// The suite with every flow under NADA (`icelab run --controller nada`): each case
    /// runs to its end without an error (its GCC-calibrated criteria may fail, docs/rmcat.md)
    /// and every flow carries media, at least NADA's RMIN (150 kbps) on average while
    /// it runs, except against the short TCP flows of 5.7 (at least half of it); audio
    /// flows keep their constant 20 kbps.
    @Test(arguments: section5Files)
    func testCaseRunsUnderNada(name: String) async throws {
        let file = try ScenarioFile(path: Self.directory.appendingPathComponent(name).path).overridingController("nada")
        let (point, scenario) = try file.scenario(at: 0)
        #expect(scenario.sessions.allSatisfy { $0.media.allSatisfy { $0.controller.name == "nada" } })
        let result = try await onOwnThread { ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options()) }
        #expect(result.outcome != .error, "\(result.errorMessage ?? "")")
        let flows = FlowSeries.grouped(result.series)
        #expect(!flows.isEmpty)
        let audio = Set(scenario.sessions.flatMap { session in
            session.flows.enumerated().filter { $0.element.media.kind == .audio }.map { "\(session.name)/\($0.offset)" }
        })
        #expect(!audio.isEmpty)
        let floor = name.hasPrefix("5.7") ? 75_000.0 : 150_000.0
        for (label, flow) in flows.sorted(by: { $0.key < $1.key }) {
            let received = try #require(flow.meanReceivedRate(), "\(label)")
            #expect(received >= (audio.contains(label) ? 20_000 : floor * 0.9), "\(label): \(received) bit/s")
        }
    }
}
