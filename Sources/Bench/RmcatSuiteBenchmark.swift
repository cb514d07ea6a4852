import Congestion
import Foundation
import NetTypes
import Records
import Scenario

/// `suite_wall_s` of `icelab bench cc`: the wall seconds to run every scenario of the
/// RFC 8867 suite directory (`Scenarios/rmcat`, every sweep point) once with each
/// registered controller, one run after another on one core — the time a CC engineer
/// waits for the whole regression suite.
public enum RmcatSuiteBenchmark {
    /// Runs the suite in `directory`; nil when the directory has no scenarios (the bench
    /// run from elsewhere than the repository's root).
    public static func wallSeconds(directory: String = "Scenarios/rmcat") throws(ScenarioError) -> (seconds: Double, runs: Int, failed: Int)? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        guard !names.isEmpty else { return nil }
        var files: [ScenarioFile] = []
        for name in names {
            let file = try ScenarioFile(path: directory + "/" + name)
            for controller in ControllerRegistry.names { files.append(try file.overridingController(controller)) }
        }
        var runs = 0, failed = 0
        let start = ContinuousClock.now
        for file in files {
            for index in 0..<file.runCount {
                let (point, scenario) = try file.scenario(at: index)
                let result = ScenarioRunner.run(index: index, point: point, scenario: scenario)
                runs += 1
                if result.outcome != .passed { failed += 1 }
            }
        }
        let elapsed = ContinuousClock.now - start
        return (elapsed.inSeconds, runs, failed)
    }
}
