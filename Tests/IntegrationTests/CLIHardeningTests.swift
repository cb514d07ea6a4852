import Foundation
import Results
import TestSupport
import Testing

/// `icelab run` on bad input, interrupted, concurrent and resumed (docs/scenarios.md
/// "Limits", docs/results.md).
@Suite(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct CLIHardeningTests {
    /// The contract tests' call, passing, over seeds 1...SEEDS.
    static let scenario = CLIContractTests.scenario.replacingOccurrences(of: "CONNECTED", with: "true")
        .replacingOccurrences(of: "seed: 1...2", with: "seed: 1...SEEDS")

    static func write(_ text: String) throws -> String {
        let path = CLIContractTests.temporary("scenario.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func badSweepInputExitsTwoAndWritesNothing() async throws {
        let db = CLIContractTests.temporary("bad.sqlite"), report = CLIContractTests.temporary("bad.html")
        let cases: [(text: String, arguments: [String], message: String)] = [
            (Self.scenario.replacingOccurrences(of: "SEEDS", with: "10") + "\n  home.preset: [full-cone, no-such-nat]", [],
             ":13:28: unknown NAT preset 'no-such-nat'"),
            (Self.scenario.replacingOccurrences(of: "SEEDS", with: "10"), ["--seed", "3"], ":12:3: the sweep varies 'seed'"),
            (Self.scenario.replacingOccurrences(of: "SEEDS", with: "1000000000"), [], ":12:9: range 1...1000000000 has more than 1000000 values"),
            (Self.scenario.replacingOccurrences(of: "SEEDS", with: "20"), ["--max-runs", "10"], ":12:9: range 1...20 has more than 10 values"),
            ("seed: abc\n" + Self.scenario.replacingOccurrences(of: "SEEDS", with: "2"), [], ":1:7: expected a non-negative whole number at 'seed'"),
        ]
        for (text, arguments, message) in cases {
            let path = try Self.write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try await CLIContractTests.run(["run", path, "--db", db, "--report", report] + arguments)
            #expect(result.status == 2 && result.stderr.hasPrefix(path + message), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db) && !FileManager.default.fileExists(atPath: report))
        }
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func anInterruptedSweepExitsWithTheSignalAndStaysUnfinished(signal: Int32, status: Int32) async throws {
        let path = try Self.write(Self.scenario.replacingOccurrences(of: "SEEDS", with: "100000"))
        let db = CLIContractTests.temporary("interrupted.sqlite")
        defer { for p in [path, db] { try? FileManager.default.removeItem(atPath: p) } }
        let child = try ChildProcess(IcelabExecutable.url!, ["run", path, "--db", db, "--no-report", "--jobs", "1"])
        // Interrupt once some runs are recorded.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, (try? ResultStore(path: db).runs().count) ?? 0 < 2 { try await Task.sleep(for: .milliseconds(50)) }
        kill(child.process.processIdentifier, signal)
        #expect(await child.exitStatus() == status)
        #expect(child.process.terminationReason == .exit)
        let store = try ResultStore(path: db)
        #expect(try store.rows("SELECT finished_at FROM sweeps") == [[nil]])
        #expect(try store.runs().count >= 2)
    }

    /// Two processes run the same sweep into one database: every run is recorded once and
    /// neither fails.
    @Test func concurrentWritersShareTheSweep() async throws {
        let path = try Self.write(Self.scenario.replacingOccurrences(of: "SEEDS", with: "200"))
        let db = CLIContractTests.temporary("shared.sqlite")
        defer { for p in [path, db] { try? FileManager.default.removeItem(atPath: p) } }
        let writers = try (0..<2).map { _ in try ChildProcess(IcelabExecutable.url!, ["run", path, "--db", db, "--no-report", "--jobs", "1"]) }
        for writer in writers {
            #expect(await writer.exitStatus() == 0, "\(writer.standardOutput)")
        }
        let store = try ResultStore(path: db)
        #expect(try store.runs().count == 200)
        #expect(try store.rows("SELECT COUNT(DISTINCT seed) FROM runs") == [["200"]])
        #expect(try store.rows("SELECT COUNT(*) FROM sweeps WHERE finished_at IS NOT NULL") == [["2"]])
    }

    @Test func aRerunSaysWhatTheDatabaseHeld() async throws {
        let path = try Self.write(Self.scenario.replacingOccurrences(of: "SEEDS", with: "3"))
        let db = CLIContractTests.temporary("rerun.sqlite")
        defer { for p in [path, db] { try? FileManager.default.removeItem(atPath: p) } }
        let first = try await CLIContractTests.run(["run", path, "--db", db, "--no-report"])
        #expect(first.status == 0 && first.stdout.contains("3 runs in") && first.stdout.contains("0 runs were already in \(db)"),
                "\(first.stdout)")
        #expect(!first.stdout.contains("report"))
        let again = try await CLIContractTests.run(["run", path, "--db", db, "--no-report"])
        #expect(again.status == 0)
        #expect(!again.stdout.contains("group") && again.stdout.contains("3 runs were already in \(db) (skipped)"), "\(again.stdout)")
    }
}

/// `--shard auto` as batch engines run it (docs/scaling.md): four array tasks, each with
/// its engine's variables, merged into one database, hold exactly the rows of one
/// machine's run.
@Suite(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct ShardAutoTests {
    /// The variables array task `i` of 4 gets from `engine`.
    static func environment(_ engine: String, task i: Int) -> [String: String] {
        engine == "kubernetes" ? ["JOB_COMPLETION_INDEX": "\(i)", "JOB_COMPLETIONS": "4"]
            : ["SLURM_ARRAY_TASK_ID": "\(i + 1)", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"]
    }

    @Test(arguments: ["kubernetes", "slurm"])
    func fourShardsMergeIntoTheSingleMachineRun(engine name: String) async throws {
        let path = try CLIHardeningTests.write(CLIHardeningTests.scenario.replacingOccurrences(of: "SEEDS", with: "10"))
        let whole = CLIContractTests.temporary("\(name)-whole.sqlite"), merged = CLIContractTests.temporary("\(name)-merged.sqlite")
        let shards = (0..<4).map { CLIContractTests.temporary("\(name)-shard\($0).sqlite") }
        defer { for p in [path, whole, merged] + shards { try? FileManager.default.removeItem(atPath: p) } }
        #expect(try await CLIContractTests.run(["run", path, "--db", whole, "--no-report"]).status == 0)
        for (i, shard) in shards.enumerated() {
            let result = try await ChildProcess.run(IcelabExecutable.url!, ["run", path, "--db", shard, "--no-report", "--shard", "auto"],
                                                    environment: Self.environment(name, task: i))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try ResultStore(path: shard).runs().count == [3, 3, 2, 2][i])
        }
        #expect(try await CLIContractTests.run(["merge", "--db", merged] + shards).status == 0)
        let columns = "run_index, parameters, seed, outcome, simulated_ms, simulator_events"
        let rows = { (db: String) throws -> [[String?]] in
            try ResultStore(path: db).rows("SELECT \(columns) FROM runs ORDER BY run_index")
                + ResultStore(path: db).rows("SELECT r.run_index, s.name, s.connected, s.connected_ms, s.nominated_ms, s.local_type, s.remote_type FROM sessions s JOIN runs r ON r.id = s.run_id ORDER BY r.run_index, s.name")
        }
        #expect(try rows(merged) == rows(whole))
        #expect(try ResultStore(path: merged).runs().count == 10)
    }

    @Test func autoWithoutAnEngineIsBadInput() async throws {
        let path = try CLIHardeningTests.write(CLIHardeningTests.scenario.replacingOccurrences(of: "SEEDS", with: "2"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await CLIContractTests.run(["run", path, "--db", CLIContractTests.temporary("none.sqlite"), "--shard", "auto"])
        #expect(result.status == 2 && result.stderr.contains("neither a Kubernetes Indexed Job"), "\(result.stderr)")
    }
}

/// `icelab plan`: counts, a shard's share and a timed sample, as JSON; bad input exit 2.
@Suite(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct PlanCommandTests {
    @Test func countsTheSweepAndAShardAndTimesASample() async throws {
        let path = try CLIHardeningTests.write(CLIHardeningTests.scenario.replacingOccurrences(of: "SEEDS", with: "10"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await CLIContractTests.run(["plan", path, "--shard", "1/4", "--sample", "2", "--jobs", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["runs_in_sweep"] as? Int == 10 && object["runs_in_shard"] as? Int == 3 && object["shard"] as? String == "1/4")
        #expect(object["sampled_runs"] as? Int == 2)
        let perRun = try #require(object["wall_per_run_s"] as? Double)
        let estimate = try #require(object["estimated_wall_s"] as? Double)
        // Three runs in the shard, one job: three times the sampled mean (as printed, so
        // up to the last digit of the JSON numbers).
        #expect(perRun > 0 && abs(estimate - perRun * 3) <= 1e-9 * estimate, "\(estimate) vs 3 × \(perRun)")
        let counted = try await CLIContractTests.run(["plan", path, "--sample", "0"])
        #expect(counted.status == 0 && counted.stdout.contains("10 runs in the sweep"), "\(counted.stdout)")
    }

    @Test func badScenarioIsBadInput() async throws {
        let path = try CLIHardeningTests.write("name: x\nduration: 1e3s\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await CLIContractTests.run(["plan", path])
        #expect(result.status == 2 && result.stderr.contains(path + ":2:"), "\(result.stderr)")
    }
}
