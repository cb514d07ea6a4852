import Foundation
import Simulator

/// Loads a link direction's `trace:` — a Mahimahi trace file, its path relative to the
/// scenario file — and reports a bad one at the scenario key with the trace's own line.
enum CapacityTraceFile {
    /// The largest trace file read (a `CapacityTrace.maximumOpportunities` trace of
    /// 7-digit timestamps fits); reading stops there.
    static let maximumBytes = 32 * 1024 * 1024

    static func load(_ node: YAMLNode) throws(ScenarioError) -> CapacityTrace {
        let name = try node.string()
        guard !name.isEmpty else { throw node.error("trace needs a file name (a Mahimahi trace, relative to the scenario)") }
        let path = name.hasPrefix("/") ? name : URL(fileURLWithPath: node.location.file).deletingLastPathComponent().appendingPathComponent(name).path
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: maximumBytes + 1) ?? Data() else {
            throw node.error("cannot read the trace file '\(name)' (\(path))")
        }
        try? handle.close()
        guard data.count <= maximumBytes else { throw node.error("trace '\(name)' is larger than \(maximumBytes) bytes") }
        guard let text = String(data: data, encoding: .utf8) else { throw node.error("trace '\(name)' is not UTF-8 text") }
        do {
            return try CapacityTrace.parse(text)
        } catch {
            throw node.error("trace '\(name)'" + (error.line > 0 ? " line \(error.line)" : "") + ": \(error.message)")
        }
    }
}
