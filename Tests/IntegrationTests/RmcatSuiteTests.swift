import Foundation
import Scenario
import TestSupport
import Testing

/// The shipped RFC 8867 suite (Scenarios/rmcat): every test case passes its criteria.
@Suite struct RmcatSuiteTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/rmcat")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func theSuiteIsComplete() {
        #expect(Self.files.map { String($0.prefix(3)) } == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.8"])
    }

    @Test(arguments: files)
    func testCasePasses(name: String) async throws {
        let file = try ScenarioFile(path: Self.directory.appendingPathComponent(name).path)
        let (point, scenario) = try file.scenario(at: 0)
        let result = try await onOwnThread { ScenarioRunner.run(index: 0, point: point, scenario: scenario) }
        #expect(result.outcome == .passed, "\(result.errorMessage ?? "") \(result.expectations.filter { !$0.passed }.map(\.message))")
        #expect(!scenario.mediaExpectations.isEmpty)
    }
}
