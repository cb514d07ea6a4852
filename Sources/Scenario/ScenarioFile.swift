import Congestion
import Foundation
import Records

/// A scenario file as loaded: its text, content hash, parsed document and sweep.
/// Loading checks the limits (size, alias expansion, sweep size) before anything is
/// expanded; `validate()` checks every point of the sweep before anything runs.
public struct ScenarioFile: Sendable {
    public let path: String
    public let text: String
    /// FNV-1a 64 of the text, in hex: identifies the scenario version in results
    /// (a resumed sweep only skips runs of the same content); with a controller
    /// override, `+controller=NAME` follows.
    public private(set) var contentHash: String
    public let document: YAMLNode
    public let sweep: Sweep
    /// The top-level `seed` (1 when absent), checked even when a sweep replaces it.
    public let seed: UInt64
    /// The `population:` weights of swept values, if any.
    public let population: PopulationWeights?
    /// The controller every media flow runs instead of its own (`icelab run --controller`).
    public private(set) var controllerOverride: ControllerRecipe?

    /// Reads and parses `path`, refusing files over `limits.maxFileBytes` before parsing
    /// (reading stops there, so a device or a growing file cannot exhaust memory).
    public init(path: String, limits: ScenarioLimits = .standard) throws(ScenarioError) {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: limits.maxFileBytes + 1) ?? Data() else {
            throw ScenarioError(start, "cannot read the file")
        }
        try? handle.close()
        guard data.count <= limits.maxFileBytes else { throw ScenarioFile.tooLarge(start, limits) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(start, "the file is not UTF-8 text")
        }
        try self.init(text: text, path: path, limits: limits)
    }

    /// Parses `text` as if read from `path`.
    public init(text: String, path: String, limits: ScenarioLimits = .standard) throws(ScenarioError) {
        guard text.utf8.count <= limits.maxFileBytes else { throw ScenarioFile.tooLarge(SourceLocation(file: path, line: 1, column: 1), limits) }
        self.path = path
        self.text = text
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        contentHash = String(hash, radix: 16)
        document = try YAMLNode.parse(text, file: path, maxNodes: limits.maxNodes)
        sweep = try Sweep(document: document, maxRuns: limits.maxRuns)
        population = try PopulationSpec.parse(document, sweep: sweep)
        seed = try document.fields(allowed: Scenario.topLevelKeys).optional("seed")?.uint64() ?? Scenario.defaultSeed
    }

    private static func tooLarge(_ location: SourceLocation, _ limits: ScenarioLimits) -> ScenarioError {
        ScenarioError(location, "the file is larger than \(limits.maxFileBytes) bytes, the limit for a scenario file")
    }

    /// Number of runs the sweep expands to.
    public var runCount: Int { sweep.count }

    /// The scenario of run `index` of the sweep.
    public func scenario(at index: Int) throws(ScenarioError) -> (point: SweepPoint, scenario: Scenario) {
        let (point, document) = sweep.point(index, of: self.document)
        var scenario = try Scenario(document: document)
        if let controllerOverride {
            for session in scenario.sessions.indices {
                for flow in scenario.sessions[session].media.indices { scenario.sessions[session].media[flow].controller = controllerOverride }
            }
        }
        return (point, scenario)
    }

    /// The same file with every media flow running controller `name` (from
    /// `ControllerRegistry`, with its default parameters) in place of the one it names:
    /// one suite, run once per controller, compared with `icelab compare`. The content
    /// hash records the override, so that runs of each controller resume separately.
    public func overridingController(_ name: String) throws(ScenarioError) -> ScenarioFile {
        let location = SourceLocation(file: path, line: 1, column: 1)
        guard let factory = ControllerRegistry.factory(named: name) else {
            let names = ControllerRegistry.names
            throw ScenarioError(location, "--controller: unknown controller '\(name)'\(Suggestions.hint(for: name, in: names)); "
                                + "known controllers: \(names.joined(separator: ", "))")
        }
        var file = self
        do { file.controllerOverride = try factory.recipe() } catch { throw ScenarioError(location, "--controller: \(error.message)") }
        file.contentHash = "\(contentHash)+controller=\(name)"
        return file
    }

    /// The seed run `index` is decoded with: its swept seed or the top-level one.
    public func seed(at index: Int) throws(ScenarioError) -> UInt64 {
        guard let axis = sweep.seedAxis else { return seed }
        return try sweep.axes[axis].values.seed(at: sweep.valueIndices(index)[axis])
    }

    /// Checks every run of the sweep, failing with the first problem. A seed takes part
    /// in no cross-check (it is only a number handed to the random streams), so each
    /// swept seed is checked alone and every combination of the other axes is decoded
    /// once: the same verdict as decoding every run, at a fraction of the work.
    public func validate() throws(ScenarioError) {
        if let axis = sweep.seedAxis { try sweep.axes[axis].values.checkSeeds() }
        for index in sweep.runs(withFirstValueOf: sweep.seedAxis) { _ = try scenario(at: index) }
    }
}
