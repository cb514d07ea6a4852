import ArgumentParser
import Congestion
import Foundation
import Netns
import Recording
import Records
import Reporting
import Results
import Scenario
import Synchronization

/// `icelab run`: runs a scenario (every point of its sweep) into the results database.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario file: every combination of its sweep, in parallel, into a results database.")

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Results database (SQLite); runs already in it are skipped.")
    var db = "results.sqlite"

    @Option(help: "Override the seed of every run (not with a scenario that sweeps seed).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Run every media flow with this congestion controller instead of the one the file names (\(ControllerRegistry.names.joined(separator: ", "))).",
                               valueName: "NAME"))
    var controller: String?

    @Option(help: "Refuse sweeps of more runs than this.")
    var maxRuns = ScenarioLimits.standard.maxRuns

    @Option(help: "Simulations run in parallel (default: the number of cores; 1 with --backend netns).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Where the runs happen: simulator, or netns (real Linux networking in network namespaces; root; docs/netns.md).",
                               valueName: "NAME"))
    var backend: Backend = .simulator

    /// Where the runs of `icelab run` happen.
    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case simulator, netns
    }

    @Option(help: "Write pcap captures of every link into this directory.")
    var pcap: String?

    @Option(help: ArgumentHelp("Write the RTP log of RFC 8868 §3.1 (every RTP packet sent and received) of every media flow into this directory.",
                               valueName: "DIR"))
    var rtpLog: String?

    @Flag(help: "Print one JSON object per run to stdout.")
    var json = false

    @Option(help: "Where to write the HTML report (default: Reports/<scenario>.html).")
    var report: String?

    @Flag(help: "Do not write an HTML report.")
    var noReport = false

    @Option(help: ArgumentHelp("Run only slice I of N of the sweep (0-based), e.g. 2/8; 'auto' reads it from a Kubernetes Indexed Job or a Slurm job array (docs/scaling.md).", valueName: "I/N|auto"),
            transform: parseShard)
    var shard: SweepPlan.Shard?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if backend == .netns && pcap != nil { throw ValidationError("--pcap captures simulated links; the netns backend has none (use tcpdump in the namespaces)") }
        if backend == .netns && rtpLog != nil { throw ValidationError("--rtp-log logs simulated media flows; the netns backend has none") }
        guard maxRuns >= 1 else { throw ValidationError("--max-runs must be at least 1") }
    }

    func run() throws {
        let file: ScenarioFile
        let plan: SweepPlan
        let store: ResultStore
        do {
            var loaded = try ScenarioFile(path: scenario, limits: ScenarioLimits(maxRuns: maxRuns))
            if let controller { loaded = try loaded.overridingController(controller) }
            file = loaded
            // Every point is validated before the database is touched: bad input writes nothing.
            let validated = try SweepPlan(file: file, seedOverride: seed, shard: shard)
            if backend == .netns { try NetnsRunCheck.check(validated) }
            store = try ResultStore(path: db)
            try NetnsRunCheck.checkBackends(store, file: file, db: db, backend: backend.rawValue)
            plan = try validated.skipping(try store.completedRuns(scenarioHash: file.contentHash))
        } catch let error as ScenarioError {
            throw UsageError(error.description)
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("\(error)")
        }
        let interrupted = backend == .netns ? NetnsRunCheck.tearDownOnSignals() : InterruptFlag.install()
        let progress = Progress(total: plan.pending.count)
        var summary = SweepSummary()
        var runner: (@Sendable (Int, SweepPoint, Scenario) -> RunResult)?
        if backend == .netns {
            let options = NetnsScenarioRunner.Options(icelab: URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path)
            runner = { index, point, scenario in NetnsScenarioRunner.run(index: index, point: point, scenario: scenario, options: options) }
        }
        let parallel = jobs ?? (backend == .netns ? 1 : ProcessInfo.processInfo.activeProcessorCount)
        let outcome = try SweepRecording.execute(
            plan, file: file, store: store, version: IcelabVersion.current, jobs: parallel,
            options: ScenarioRunner.Options(pcapDirectory: pcap, rtpLogDirectory: rtpLog), backend: backend.rawValue, runner: runner,
            stop: { interrupted.isSet }
        ) { result in
            summary.add(result)
            progress.advance(failed: result.outcome != .passed)
            if json { print(RunJSON.line(result)) }
            if result.outcome != .passed, !json { progress.note(summary.failureLine(result)) }
        }
        progress.finish()
        let reportPath = noReport ? nil : try ReportGenerator.write(store: store, sweepID: outcome.sweepID, to: report)
        // Standard output carries the summary, unless it carries JSON lines.
        let say: (String) -> Void = json ? { log($0) } : { print($0) }
        say(summary.table(wallSeconds: outcome.wallSeconds, reportWritten: reportPath != nil))
        say(SweepSummary.skippedLine(alreadyInDatabase: plan.alreadyDone, recordedElsewhere: outcome.recordedElsewhere, database: db))
        if let reportPath { say("report: \(reportPath)") }
        if let status = interrupted.exitStatus {
            log("run: interrupted; rerun the same command to resume")
            throw ExitCode(status)
        }
        // Runs skipped as already recorded count too: a resumed sweep fails like a fresh one.
        if try store.failedRunCount(scenarioHash: file.contentHash) > 0 { throw ExitCode(1) }
    }
}
