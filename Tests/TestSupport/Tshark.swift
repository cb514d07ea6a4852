import Foundation
import Spawn

/// Wireshark's command-line dissector, for tests that check that captures of the
/// simulator decode cleanly: packets carry real bytes, so a capture opens in Wireshark
/// without malformed packets (docs/simulator.md).
public struct Tshark {
    public let executable: String

    /// Whether tshark is installed; tests that need it are `.enabled(if: Tshark.isInstalled)`
    /// so that they show as skipped without it.
    public static var isInstalled: Bool { Tshark() != nil }

    /// nil when tshark is not installed.
    public init?() {
        guard let found = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        executable = found
    }

    /// Runs `tshark -r capture arguments...`; returns its output lines and exit status.
    public func run(_ capture: String, _ arguments: [String]) throws -> (lines: [String], status: Int32) {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-r", capture] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (output.split(separator: "\n").map(String.init), process.terminationStatus)
    }
}
