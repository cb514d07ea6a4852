import ArgumentParser
import Live
import Logging
import NetTypes

/// Options every server command shares (`stun-server`, `turn-server`; a later
/// `signal-server` takes them too): a config file, Prometheus metrics, structured logs.
struct ServerOptions: ParsableArguments {
    @Option(help: "Read options from this YAML file: keys are the long option names, lists for repeatable ones; options given on the command line override it (docs/operations.md).")
    var config: String?

    @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics (text exposition format).", transform: Endpoint.init(parsing:))
    var metrics: Endpoint?

    @Option(name: .customLong("log-level"), help: "Least severe event logged: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .info

    @Option(name: .customLong("log-format"), help: "Event lines as text (logfmt) or json, one per line on standard error.")
    var logFormat: LineLogHandler.Format = .text

    /// The logger of the server `label`, writing lines to standard error. No global logging
    /// system is bootstrapped: the handler is handed to the server.
    func logger(_ label: String) -> Logger {
        Logger(label: label) { [logLevel, logFormat] label in LineLogHandler(label: label, level: logLevel, format: logFormat) }
    }

    /// Serves `/metrics` when `--metrics` was given; a port that cannot be bound is bad
    /// input (exit 2), as for the listening ports.
    func startMetrics(_ render: @escaping @Sendable () async -> String) async throws -> MetricsEndpoint? {
        guard let metrics else { return nil }
        return try await listening { try await MetricsEndpoint.start(on: metrics, render: render) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LineLogHandler.Format: ExpressibleByArgument {}
