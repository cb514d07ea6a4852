import Foundation

/// A scenario file as loaded: its text, content hash, parsed document and sweep.
/// Every point of the sweep is validated before anything runs.
public struct ScenarioFile: Sendable {
    public let path: String
    public let text: String
    /// FNV-1a 64 of the text, in hex: identifies the scenario version in results
    /// (a resumed sweep only skips runs of the same content).
    public let contentHash: String
    public let document: YAMLNode
    public let sweep: Sweep

    /// Reads and parses `path`.
    public init(path: String) throws(ScenarioError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(SourceLocation(file: path, line: 1, column: 1), "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text")
        }
        try self.init(text: text, path: path)
    }

    /// Parses `text` as if read from `path`.
    public init(text: String, path: String) throws(ScenarioError) {
        self.path = path
        self.text = text
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        contentHash = String(hash, radix: 16)
        document = try YAMLNode.parse(text, file: path)
        sweep = try Sweep(document: document)
    }

    /// Number of runs the sweep expands to.
    public var runCount: Int { sweep.count }

    /// The scenario of run `index` of the sweep.
    public func scenario(at index: Int) throws(ScenarioError) -> (point: SweepPoint, scenario: Scenario) {
        let (point, document) = sweep.point(index, of: self.document)
        return (point, try Scenario(document: document))
    }

    /// Every run's scenario; fails on the first invalid one.
    public func validateAll() throws(ScenarioError) -> [(point: SweepPoint, scenario: Scenario)] {
        var all: [(SweepPoint, Scenario)] = []
        all.reserveCapacity(runCount)
        for index in 0..<runCount { all.append(try scenario(at: index)) }
        return all
    }
}
