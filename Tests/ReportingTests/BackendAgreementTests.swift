import Foundation
import NetTypes
import Records
import Reporting
import Results
import Testing

/// `compare --cells`: sessions of two databases matched by run key and session name, a
/// cell disagreeing on connected-or-not and direct-or-relayed, not on pair types.
@Suite struct BackendAgreementTests {
    static func database(backend: String, sessions: [(seed: UInt64, connected: Bool, relay: Bool, local: String)]) throws -> (ResultStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agreement-\(UUID().uuidString).sqlite").path
        let store = try ResultStore(path: path)
        let sweep = try store.startSweep(name: "m", path: "m.yaml", scenarioHash: "h", version: "0", runCount: sessions.count,
                                         shard: nil, backend: backend)
        for (index, entry) in sessions.enumerated() {
            let session = SessionResult(name: "call", offerer: "a", answerer: "b", connected: entry.connected,
                                        connectedTime: entry.connected ? .milliseconds(300) : nil,
                                        selectedLocalType: entry.connected ? entry.local : nil, selectedRemoteType: entry.connected ? "srflx" : nil,
                                        finalState: entry.connected ? "completed" : "failed", relayUsed: entry.relay)
            let run = RunResult(runIndex: index, parameters: SweepPoint(assignments: []), seed: entry.seed, outcome: .passed,
                                wallSeconds: 0, simulatedTime: .seconds(1), simulatorEvents: 0, sessions: [session])
            try store.record(run, sweepID: sweep, scenarioHash: "h", version: "0")
        }
        return (store, path)
    }

    @Test func cellsDisagreeOnOutcomesOnly() throws {
        let (simulated, a) = try Self.database(backend: "simulator", sessions: [(1, true, false, "srflx"), (2, true, true, "prflx"),
                                                                                (3, true, false, "srflx"), (4, false, false, ""), (5, true, false, "srflx")])
        let (linux, b) = try Self.database(backend: "netns", sessions: [(1, true, false, "srflx"), (2, true, true, "relay"),
                                                                        (3, true, true, "relay"), (4, true, false, "srflx")])
        defer { for path in [a, b] { try? FileManager.default.removeItem(atPath: path) } }
        let agreement = BackendAgreement(first: try simulated.sessionCells(), second: try linux.sessionCells())
        #expect(agreement.firstBackend == "simulator" && agreement.secondBackend == "netns")
        #expect(agreement.cells.map(\.seed) == [1, 2, 3, 4])
        #expect(agreement.unmatched == 1)
        // Seed 2: both relayed through different pairs — agree; 3: direct vs relayed; 4: failed vs connected.
        #expect(agreement.cells.map(\.disagreements) == [[], [], ["path"], ["connected"]])
        #expect(agreement.table.contains("4 cells, 2 agree, 2 disagree, 1 sessions in one database only"), "\(agreement.table)")
        #expect(agreement.table.contains("DISAGREE (path)") && agreement.table.contains("DISAGREE (connected)"))
    }
}
