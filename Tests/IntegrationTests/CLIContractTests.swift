import Foundation
import TestSupport
import Testing

/// The command line contract (README.md): exit codes 0 / 1 / 2, scenario errors as
/// `file:line:col: message` before anything is written, `--json` lines, the report path.
@Suite(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct CLIContractTests {
    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(IcelabExecutable.url!, arguments)
    }

    /// A call through a home NAT with a STUN server; CONNECTED is the expected outcome.
    static let scenario = """
        name: cli
        duration: 5s
        network:
          nats: { home: { preset: full-cone } }
          hosts: { alice: { behind: home }, bob: {} }
          servers: { stun1: { kind: stun } }
        sessions:
          - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1] }
        expect:
          - { session: call, connected: CONNECTED }
        sweep:
          seed: 1...2
        """

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("icelab-cli-\(UUID().uuidString)-\(name)").path
    }

    @Test func badScenarioExitsTwoWithAPositionAndWritesNothing() async throws {
        let scenario = Self.temporary("bad.yaml"), db = Self.temporary("bad.sqlite")
        try "name: bad\nnetwork:\n  hosts: { alice: {} }\n  links: [{ from: alice, to: internet, latncy: 5ms }]\n"
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scenario) }
        let result = try await Self.run(["run", scenario, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("\(scenario):4:40: unknown key 'latncy'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        #expect(try await Self.run(["run"]).status == 2)
        #expect(try await Self.run(["run", scenario, "--jobs", "0"]).status == 2)
    }

    @Test func passingAndFailingRunsExitZeroAndOne() async throws {
        let scenario = Self.temporary("cli.yaml"), db = Self.temporary("cli.sqlite"), report = Self.temporary("cli.html")
        defer { for p in [scenario, db, report] { try? FileManager.default.removeItem(atPath: p) } }
        let text = Self.scenario
        try text.replacingOccurrences(of: "CONNECTED", with: "true").write(toFile: scenario, atomically: true, encoding: .utf8)
        let pass = try await Self.run(["run", scenario, "--db", db, "--json", "--report", report])
        #expect(pass.status == 0, "\(pass.stderr)")
        let lines = pass.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["outcome"] as? String == "passed")
            // Sessions run DTLS after ICE by default: its state and time are in the line.
            let session = (object?["sessions"] as? [[String: Any]])?.first
            #expect(session?["dtls_state"] as? String == "connected")
            #expect((session?["dtls_ms"] as? Double ?? 0) > (session?["connected_ms"] as? Double ?? .infinity))
        }
        #expect(FileManager.default.fileExists(atPath: report))
        try text.replacingOccurrences(of: "CONNECTED", with: "false").write(toFile: scenario, atomically: true, encoding: .utf8)
        let fail = try await Self.run(["run", scenario, "--db", db, "--no-report"])
        #expect(fail.status == 1)
        #expect(fail.stderr.contains("connected, but was expected not to"), "\(fail.stderr)")
        // Resuming the completed sweep keeps failing: the failures are in the database.
        #expect(try await Self.run(["run", scenario, "--db", db, "--no-report"]).status == 1)
    }
}
