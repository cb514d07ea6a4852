import ArgumentParser

/// `icelab bench [sim|...] [--json]`: performance figures of the release build.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure icelab's performance figures.")

    @Argument(help: "What to measure: sim.")
    var suite: String = "sim"

    @Flag(help: "Print one JSON object with the figures.")
    var json = false

    func run() throws {
        print("bench \(suite) not implemented yet")
    }
}
