import ArgumentParser
import Foundation
import Live
import Scenario
import Signaling

/// `icelab plan`: how many runs a scenario's sweep has (in a shard) and how long it will
/// take, before a batch engine is asked for machines (docs/scaling.md).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Count a scenario's runs and estimate the wall time of running them.")

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: ArgumentHelp("Plan only slice I of N of the sweep (0-based); 'auto' reads it from the environment as `run` does.",
                               valueName: "I/N|auto"), transform: parseShard)
    var shard: SweepPlan.Shard?

    @Option(help: "Parallel runs the estimate assumes (as `icelab run --jobs`; default: the cores of this machine).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Runs simulated here to time one run; spread over the sweep. 0: count only.")
    var sample = 10

    @Option(name: .customLong("max-runs"), help: "The largest sweep accepted (as `icelab run --max-runs`).")
    var maxRuns = ScenarioLimits.standard.maxRuns

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard sample >= 0 else { throw ValidationError("--sample must be 0 or more") }
    }

    func run() throws {
        let plan: SweepPlan
        do {
            plan = try SweepPlan(file: try ScenarioFile(path: scenario, limits: ScenarioLimits(maxRuns: maxRuns)), shard: shard)
        } catch {
            throw UsageError("\(error)")
        }
        let runs = plan.pending.count
        // Evenly spread over the slice: sweeps put their slowest axes anywhere.
        let picked = runs == 0 ? [] : (0..<min(sample, runs)).map { plan.pending[$0 * runs / min(sample, runs)] }
        var simulated = 0.0, wall = 0.0
        for index in picked {
            let (point, scenario) = try plan.run(index)
            let result = ScenarioRunner.run(index: index, point: point, scenario: scenario)
            wall += result.wallSeconds
            simulated += result.simulatedTime.seconds
        }
        let perRun = picked.isEmpty ? nil : wall / Double(picked.count)
        let estimate = perRun.map { $0 * Double(runs) / Double(min(jobs, max(runs, 1))) }
        if json {
            typealias Field = JSONLine.Field
            print(JSONLine.encode([
                Field("scenario", .string(scenario)), Field("runs_in_sweep", .integer(Int64(plan.runCount))),
                Field("runs_in_shard", .integer(Int64(runs))), Field("shard", .optional(shard?.description)),
                Field("jobs", .integer(Int64(jobs))), Field("sampled_runs", .integer(Int64(picked.count))),
                Field("wall_per_run_s", perRun.map(JSONLine.Value.number) ?? .null),
                Field("estimated_wall_s", estimate.map(JSONLine.Value.number) ?? .null),
            ]))
            return
        }
        print("\(scenario): \(plan.runCount) run\(plan.runCount == 1 ? "" : "s") in the sweep"
              + (shard.map { ", \(runs) in shard \($0)" } ?? ""))
        if let perRun, let estimate {
            print(String(format: "sampled %d run%@: %.3f s wall per run (%.1f s simulated); about %.1f s with %d job%@ on a machine like this one",
                         picked.count, picked.count == 1 ? "" : "s", perRun, simulated / Double(picked.count), estimate, jobs, jobs == 1 ? "" : "s"))
        }
    }
}
