import ArgumentParser
import Foundation
import Live
import Logging
import NetTypes
import TLS

/// Options every server command shares (`stun-server`, `turn-server`, `signal-server`):
/// a config file, Prometheus metrics, structured logs.
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

/// A server's TLS context from `--cert` and `--key` (PEM); nil when either is missing. A
/// file that cannot be read, is not PEM, or a key that does not match is bad input (exit 2).
func serverTLSContext(cert: String?, key: String?) throws -> TLSContext? {
    guard let cert, let key else { return nil }
    do {
        return try TLSContext(TLSConfiguration(role: .server, identity: try TLSIdentity(certificateFile: cert, privateKeyFile: key)))
    } catch {
        throw UsageError("icelab: cannot use --cert \(cert) --key \(key): \(error)")
    }
}

/// The secrets of a secrets file given with `option`: one per line, `#` comments and
/// blank lines ignored. A file that cannot be read or holds none is bad input (exit 2);
/// secrets are never printed.
func secrets(inFile path: String, option: String) throws -> [String] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw UsageError("icelab: cannot read \(option) \(path): \((error as NSError).localizedDescription)")
    }
    let secrets = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    if secrets.isEmpty { throw UsageError("icelab: \(option) \(path) holds no secret") }
    return secrets
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LineLogHandler.Format: ExpressibleByArgument {}
