import NetTypes
import Scenario

/// `icelab bench ice`: complete ICE sessions per wall second in the simulator, on one
/// core: two hosts behind NATs gather host, server-reflexive (STUN) and relayed (TURN)
/// candidates, run checks and nominate; each session is its own simulation.
public enum ICEBenchmark {
    static let scenario = """
    name: bench-ice
    duration: 3s
    network:
      nats:
        a-nat: { preset: port-restricted-cone }
        b-nat: { preset: linux-masquerade }
      hosts:
        alice: { behind: a-nat }
        bob: { behind: b-nat }
      servers:
        stun1: { kind: stun }
        turn1: { kind: turn, users: { alice: pw, bob: pw } }
      links:
        - { from: a-nat, to: internet, latency: 20ms }
        - { from: b-nat, to: internet, latency: 30ms }
    sessions:
      - { name: call, offerer: alice, answerer: bob, ice-servers: [stun1, turn1] }
    """

    public static func run(sessions: Int = 4000, repetitions: Int = 3) throws -> BenchmarkReport {
        let file = try ScenarioFile(text: scenario, path: "bench-ice.yaml")
        let (point, base) = try file.scenario(at: 0)
        var connected = 0
        var candidates = 0
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            connected = 0
            candidates = 0
            for i in 0..<sessions {
                var s = base
                s.seed = UInt64(i + 1)
                let result = ScenarioRunner.run(index: i, point: point, scenario: s)
                if result.sessions.first?.connected == true { connected += 1 }
                candidates += result.sessions.first?.candidates.count ?? 0
            }
        }
        var report = BenchmarkReport()
        report.add("sessions_per_s", Double(sessions) / seconds, label: "ICE sessions (STUN + TURN, two NATs) / s, one core")
        report.add("connected_share", Double(connected) / Double(sessions), label: "sessions connected (share)")
        report.add("candidates_per_session", Double(candidates) / Double(sessions), label: "candidates gathered per session")
        return report
    }
}
