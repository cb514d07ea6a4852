import ArgumentParser
import Bench
import Congestion
import NetTypes

/// `icelab bench [sim|tcp|tcp-model|stun|turn|dtls|sctp|ice|cc|report] [--json]`; `cc` takes `--controller NAME`: performance figures of the release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure icelab's performance figures (use a release build).")

    enum Suite: String, ExpressibleByArgument, CaseIterable {
        case sim, tcp, tcpModel = "tcp-model", stun, turn, dtls, sctp, ice, cc, report
    }

    @Argument(help: "What to measure: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).")
    var suite: Suite = .sim

    @Flag(help: "Print one JSON object whose keys are figure names with their unit.")
    var json = false

    @Option(help: "Repetitions per figure; the best is reported (the median with --server).")
    var repetitions = 3

    @Option(help: "turn: measure a TURN server already running at HOST:PORT on loopback instead (e.g. coturn's turnserver; it must relay to loopback peers).",
            transform: Endpoint.init(parsing:))
    var server: Endpoint?

    @Option(help: "turn --server: the long-term credential USER:PASS.")
    var user: Credential?

    @Option(help: ArgumentHelp("cc: the congestion controller (\(ControllerRegistry.names.joined(separator: ", "))).", valueName: "NAME"))
    var controller: String?

    func validate() throws {
        if controller != nil && suite != .cc { throw ValidationError("--controller is for bench cc") }
        if let controller, ControllerRegistry.factory(named: controller) == nil {
            throw ValidationError("unknown controller '\(controller)'; known controllers: \(ControllerRegistry.names.joined(separator: ", "))")
        }
        if server != nil && suite != .turn { throw ValidationError("--server is for bench turn") }
        if server != nil && user == nil { throw ValidationError("bench turn --server needs --user USER:PASS") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
    }

    func run() async throws {
        let report: BenchmarkReport
        switch suite {
        case .sim: report = SimBenchmark.run(repetitions: repetitions)
        case .tcp: report = TCPBenchmark.run(repetitions: repetitions)
        case .tcpModel: report = TCPValidation.run()
        case .stun: report = try await STUNBenchmark.run(repetitions: repetitions)
        case .turn:
            if let server, let user {
                report = try await TURNBenchmark.runAgainst(server, username: user.username, password: user.password, repetitions: repetitions)
            } else {
                report = try await TURNBenchmark.run(repetitions: repetitions)
            }
        case .dtls: report = try DTLSBenchmark.run(repetitions: repetitions)
        case .sctp: report = try SCTPBenchmark.run(repetitions: repetitions)
        case .ice: report = try ICEBenchmark.run(repetitions: repetitions)
        case .report: report = try ReportBenchmark.run(repetitions: repetitions)
        case .cc: report = try CongestionBenchmark.run(controller: controller ?? ControllerRegistry.defaultName, repetitions: repetitions)
        }
        print(json ? report.json : report.text)
    }
}
