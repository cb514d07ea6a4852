import Foundation

/// The system's Chromium (Debian package `chromium`), for tests that render pages or run
/// WebRTC in it headless and skip without it.
public enum Chromium {
    /// The first `chromium` or `chromium-browser` on PATH, or nil.
    public static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
            }
        }
        return nil
    }()
}
