import Foundation
import Spawn

/// The `python3` first on PATH (through env, as a shell finds it), for interop tests that
/// drive a Python implementation and skip without it.
public enum Python {
    /// Whether that python3 runs and imports `module`.
    public static func canImport(_ module: String) -> Bool {
        let probe = SpawnedProcess()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import \(module)"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }
}
