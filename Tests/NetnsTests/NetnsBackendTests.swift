import Foundation
import Netns
import TestSupport
import Testing

/// `icelab run --backend netns` as a user runs it, as root: a small matrix of Linux NATs
/// on real namespaces, compared cell by cell with the simulator's run of the same file,
/// and nothing left behind — after the run and after Ctrl-C.
@Suite(.liveNetwork, .serialized, .enabled(if: NetnsLab.unavailableReason() == nil, "network namespaces need root, ip and nft"),
       .enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct NetnsBackendTests {
    /// Two masquerading NATs, each with or without a router firewall in front of conntrack:
    /// the model's `conntrack-refused` decides which cells lose the direct path, as Linux does.
    /// A 200 ms signaling delay gives the answerer's checks a lead that scheduling noise
    /// cannot undo (with 50 ms the simulated margin is a few milliseconds: docs/netns.md).
    static let scenario = """
        name: netns-backend-test
        duration: 4s
        network:
          nats:
            a-nat: { preset: linux-masquerade }
            b-nat: { preset: linux-masquerade }
          hosts:
            alice: { behind: a-nat }
            bob: { behind: b-nat }
          servers:
            stun1: { kind: stun }
            turn1: { kind: turn, users: { alice: s3cret, bob: s3cret } }
          links:
            - { from: a-nat, to: internet, latency: 0ms }
            - { from: b-nat, to: internet, latency: 0ms }
            - { from: alice, to: a-nat, latency: 0ms }
            - { from: bob, to: b-nat, latency: 0ms }
            - { from: stun1, to: internet, latency: 0ms }
            - { from: turn1, to: internet, latency: 0ms }
        sessions:
          - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1, turn1], trickle: false, signaling-delay: 200ms }
        expect:
          - { session: call, connected: true }
        sweep:
          a-nat: [{ preset: linux-masquerade }, { preset: linux-masquerade, conntrack-refused: true }]
          b-nat: [{ preset: linux-masquerade }, { preset: linux-masquerade, conntrack-refused: true }]
        """

    private func icelab(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(IcelabExecutable.url!, arguments)
    }

    /// A fresh directory holding `text` as `file`, handed to `body`, then removed.
    private func withScenario(_ name: String, _ file: String, _ text: String = scenario,
                              _ body: (_ directory: URL, _ path: String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netns-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(file).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try await body(directory, path)
    }

    @Test func linuxAgreesWithTheSimulatorCellByCell() async throws {
        try await withScenario("backend", "matrix.yaml") { directory, file in
            let simulated = directory.appendingPathComponent("sim.sqlite").path, linux = directory.appendingPathComponent("netns.sqlite").path
            let sim = try await icelab(["run", file, "--db", simulated, "--no-report"])
            #expect(sim.status == 0, "\(sim.stderr)")
            let real = try await icelab(["run", file, "--backend", "netns", "--db", linux, "--no-report"])
            #expect(real.status == 0, "\(real.stdout)\(real.stderr)")
            #expect(real.stdout.contains("4 runs in"), "\(real.stdout)")
            let cells = try await icelab(["compare", "--cells", "--baseline", simulated, "--candidate", linux])
            #expect(cells.status == 0, "\(cells.stdout)\(cells.stderr)")
            #expect(cells.stdout.contains("4 cells, 4 agree, 0 disagree"), "\(cells.stdout)")
            // Both kinds of outcome occur: the matrix is not trivially uniform.
            #expect(cells.stdout.contains("direct srflx-srflx") && cells.stdout.contains("relayed"), "\(cells.stdout)")
            // A database keeps one backend's runs of a scenario.
            let mixed = try await icelab(["run", file, "--backend", "netns", "--db", simulated, "--no-report"])
            #expect(mixed.status == 2 && mixed.stderr.contains("already holds simulator runs"), "\(mixed.stderr)")
        }
    }

    @Test func unsupportedPresetsAreRefusedBeforeAnythingIsWritten() async throws {
        let bad = Self.scenario.replacingOccurrences(of: "a-nat: [{ preset: linux-masquerade },", with: "a-nat: [{ preset: symmetric },")
        try await withScenario("refuse", "bad.yaml", bad) { directory, file in
            let db = directory.appendingPathComponent("x.sqlite").path
            let result = try await icelab(["run", file, "--backend", "netns", "--db", db, "--no-report"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("bad.yaml:25:21:") && result.stderr.contains("Linux cannot express NAT 'a-nat' (symmetric)"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }

    /// Ctrl-C in the middle of a run: the namespaces, their veths and rules, and the
    /// programs inside are gone, and the command exits 130.
    @Test func interruptTearsEverythingDown() async throws {
        try await withScenario("interrupt", "matrix.yaml") { directory, file in
            let child = try ChildProcess(IcelabExecutable.url!, ["run", file, "--backend", "netns", "--db",
                                                                 directory.appendingPathComponent("i.sqlite").path, "--no-report"])
            // Wait until the first run's seven namespaces exist and its peers run, then interrupt.
            let prefix = "n\(child.process.processIdentifier % 1000)r"
            var appeared = false
            for _ in 0..<300 where !appeared {
                appeared = try NetnsLab.namespaces(withPrefix: prefix).count >= 7
                if !appeared { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(appeared)
            try await Task.sleep(for: .milliseconds(700))
            kill(child.process.processIdentifier, SIGINT)
            let status = await child.exitStatus()
            #expect(status == 130, "\(child.standardError)")
            #expect(try NetnsLab.namespaces(withPrefix: prefix).isEmpty)
            #expect(child.standardError.contains("tearing the network namespaces down"))
        }
    }
}
