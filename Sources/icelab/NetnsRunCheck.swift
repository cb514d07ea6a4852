import Foundation
import Netns
import Results
import Scenario

/// What `icelab run --backend netns` checks before it touches the database, and how it
/// stops: every point of the sweep must be expressible on Linux, the machine must allow
/// network namespaces, and a database keeps one backend's runs of a scenario.
enum NetnsRunCheck {
    /// Refuses (exit 2) when namespaces are unavailable or a point of `plan` asks for what
    /// the backend cannot build.
    static func check(_ plan: SweepPlan) throws {
        if let reason = NetnsLab.unavailableReason() { throw UsageError("--backend netns needs root and network namespaces: \(reason)") }
        for index in plan.pending {
            try NetnsScenarioRunner.check(try plan.run(index).scenario)
        }
    }

    /// Refuses to add `backend`'s runs to a database that holds the other backend's runs
    /// of the same scenario: their rows would share run keys. Comparing them takes two
    /// databases (`icelab compare`).
    static func checkBackends(_ store: ResultStore, file: ScenarioFile, db: String, backend: String) throws {
        let others = try store.backends(scenarioHash: file.contentHash).subtracting([backend])
        if let other = others.sorted().first {
            throw UsageError("\(db) already holds \(other) runs of this scenario; give --db another file for the \(backend) backend "
                             + "and compare the two with icelab compare")
        }
    }

    /// On SIGINT or SIGTERM: tears every lab of this process down (programs, namespaces,
    /// their interfaces and rules) and exits with 128 + the signal. Runs already recorded
    /// stay; rerunning the command resumes after them.
    static func tearDownOnSignals() -> InterruptFlag {
        InterruptFlag.install { sig in
            log("\ninterrupted: tearing the network namespaces down")
            NetnsLabRegistry.shared.teardownAll()
            Foundation.exit(128 + sig)
        }
    }
}
