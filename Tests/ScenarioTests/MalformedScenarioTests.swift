import Foundation
import Testing
@testable import Scenario

/// Every file in `Malformed/` starts with `# expect: LINE:COL: message` (the message may
/// be a prefix); loading and validating it must fail with exactly that.
@Suite struct MalformedScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Malformed")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func corpusIsPresent() { #expect(Self.files.count >= 12) }

    @Test(arguments: files)
    func malformedScenarioIsRejectedWithPosition(file: String) throws {
        let path = Self.directory.appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        let expected = try #require(firstLine.components(separatedBy: "# expect: ").last)
        do {
            let scenarioFile = try ScenarioFile(path: path)
            try scenarioFile.validate()
            Issue.record("\(file) was accepted")
        } catch {
            let message = error.description
            #expect(message.hasPrefix("\(path):\(expected)"), "\(message)")
        }
    }
}
