import ArgumentParser
import Foundation

/// The `icelab` command: the lab's entry point.
///
/// Exit codes (a contract CI scripts rely on): 0 success, 1 an expectation or regression
/// check failed, 2 bad input or usage.
@main
struct Icelab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icelab",
        abstract: "A deterministic network simulator and ICE connectivity lab for WebRTC.",
        version: IcelabVersion.current,
        subcommands: [RunCommand.self, PlanCommand.self, ReportCommand.self, CompareCommand.self, MergeCommand.self, BenchCommand.self,
                      STUNServerCommand.self, TURNServerCommand.self, TURNCredentialsCommand.self, SignalServerCommand.self, NATProbeCommand.self, NetnsProbeCommand.self, ICEPeerCommand.self]
    )

    /// Parses and runs, mapping usage errors to exit code 2 (ArgumentParser's own code
    /// for them is 64).
    static func main() async {
        var configured = ServerConfigFile(unexpanded: Array(CommandLine.arguments.dropFirst()))
        do {
            configured = try ServerConfigFile(expanding: configured.arguments)
            var command = try parseAsRoot(configured.arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let usage = error as? UsageError {
                // Printed as is: scenario errors must read `file:line:col: message`.
                try? FileHandle.standardError.write(contentsOf: Data(((configured.located(usage.description) ?? usage.description) + "\n").utf8))
                Foundation.exit(2)
            }
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                try? FileHandle.standardError.write(contentsOf: Data(((configured.located(message) ?? message) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Bad input found after parsing (a value that parses but cannot be used): exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The version recorded in results and reports.
enum IcelabVersion {
    static let current = "0.1.0"
}
