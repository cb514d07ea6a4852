import Foundation
import Spawn
import TestSupport

/// Runs the system's headless Chromium (Debian package `chromium`) on a local file, with
/// networking disabled, bounded in time.
struct HeadlessChromium {
    let executable: String

    /// The first `chromium` or `chromium-browser` on PATH, or nil.
    static func find() -> HeadlessChromium? { Chromium.executable.map { HeadlessChromium(executable: $0.path) } }

    /// Output of one invocation.
    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
        var timedOut: Bool
    }

    /// Runs Chromium with `arguments` after the common headless flags; kills it after
    /// `timeout` seconds. DNS resolves nothing (`--host-resolver-rules`), so a stray
    /// external request fails instead of leaving the machine, and is reported.
    func run(_ arguments: [String], profile: URL, timeout: TimeInterval = 60) throws -> Result {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(profile.path)",
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"] + arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
            usleep(500_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return Result(stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                      status: process.terminationStatus, timedOut: timedOut)
    }
}
