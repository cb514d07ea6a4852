import Foundation

/// A fresh folder for a run's pcap files, removed by `remove()`; and the comparison of two
/// such folders that determinism tests make (same scenario, same seed ⇒ same bytes).
public struct CaptureDirectory {
    public let path: String

    /// A new, not yet created folder under the temporary directory, named after `label`.
    public init(_ label: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-\(label)-\(UUID().uuidString)").path
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The pcap files in the folder, sorted.
    public func captures() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".pcap") }.sorted()
    }

    /// The pcap files of this folder whose bytes differ from (or are missing in) `other`.
    public func differingCaptures(from other: CaptureDirectory) throws -> [String] {
        try captures().filter { name in
            let mine = try Data(contentsOf: URL(fileURLWithPath: "\(path)/\(name)"))
            let theirs = try? Data(contentsOf: URL(fileURLWithPath: "\(other.path)/\(name)"))
            return mine != theirs
        }
    }
}
