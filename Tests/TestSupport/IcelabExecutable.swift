import Foundation

/// The `icelab` executable `swift build` puts next to the test bundle, for tests that run
/// the command line; nil when it is not there (those tests then skip and say why).
public enum IcelabExecutable {
    public static let url: URL? = {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("icelab")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }()
}
