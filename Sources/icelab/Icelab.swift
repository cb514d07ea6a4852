import ArgumentParser

/// The `icelab` command: the lab's entry point.
@main
struct Icelab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icelab",
        abstract: "A deterministic network simulator and ICE connectivity lab for WebRTC.",
        version: IcelabVersion.current,
        subcommands: [BenchCommand.self]
    )
}

/// The version recorded in results and reports.
enum IcelabVersion {
    static let current = "0.1.0"
}
