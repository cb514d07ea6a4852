import ArgumentParser
import Bench

/// `icelab bench [sim|tcp|tcp-model|stun|turn|dtls|ice|cc|report] [--json]`: performance figures of the release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure icelab's performance figures (use a release build).")

    enum Suite: String, ExpressibleByArgument, CaseIterable {
        case sim, tcp, tcpModel = "tcp-model", stun, turn, dtls, ice, cc, report
    }

    @Argument(help: "What to measure: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).")
    var suite: Suite = .sim

    @Flag(help: "Print one JSON object whose keys are figure names with their unit.")
    var json = false

    @Option(help: "Repetitions per figure; the best is reported.")
    var repetitions = 3

    func run() async throws {
        let report: BenchmarkReport
        switch suite {
        case .sim: report = SimBenchmark.run(repetitions: repetitions)
        case .tcp: report = TCPBenchmark.run(repetitions: repetitions)
        case .tcpModel: report = TCPValidation.run()
        case .stun: report = try await STUNBenchmark.run(repetitions: repetitions)
        case .turn: report = try await TURNBenchmark.run(repetitions: repetitions)
        case .dtls: report = try DTLSBenchmark.run(repetitions: repetitions)
        case .ice: report = try ICEBenchmark.run(repetitions: repetitions)
        case .report: report = try ReportBenchmark.run(repetitions: repetitions)
        case .cc: report = CongestionBenchmark.run(repetitions: repetitions)
        }
        print(json ? report.json : report.text)
    }
}
