/// Bounds on what a scenario file may ask for, checked before anything runs so that bad
/// input fails in bounded time and memory (docs/scenarios.md, "Limits").
public struct ScenarioLimits: Sendable, Equatable {
    /// Largest scenario file read, in bytes; larger files are refused before parsing.
    public var maxFileBytes: Int
    /// Most YAML nodes a document may expand to, each use of an alias counting the whole
    /// subtree it stands for (a "billion laughs" document is refused, not expanded).
    /// A file within `maxFileBytes` that uses no aliases stays below it (a node takes at
    /// least two bytes of text).
    public var maxNodes: Int
    /// Most runs a sweep may expand to (`icelab run --max-runs`).
    public var maxRuns: Int

    public init(maxFileBytes: Int = 1 << 20, maxNodes: Int = 1_000_000, maxRuns: Int = 1_000_000) {
        self.maxFileBytes = maxFileBytes
        self.maxNodes = maxNodes
        self.maxRuns = maxRuns
    }

    /// The documented defaults: 1 MiB, 1,000,000 nodes, 1,000,000 runs.
    public static let standard = ScenarioLimits()
}
