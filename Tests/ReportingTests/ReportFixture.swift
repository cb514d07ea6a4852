import Foundation
import Records
import Results

/// Databases of synthetic sweeps for report tests (`SyntheticSweep`'s rules decide every
/// value the tests expect): 36 runs = the 3×3 matrix of offerer × answerer mapping with
/// seeds 1–4, media series in every tenth run.
enum ReportFixture {
    static func temporaryPath(_ suffix: String = "sqlite") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("icelab-report-\(UUID().uuidString).\(suffix)").path
    }

    static let sweep = SyntheticSweep(runCount: 36, mediaEvery: 10)

    /// A new database holding the synthetic sweep; returns its path and sweep ID.
    static func database() throws -> (path: String, sweepID: Int64) {
        let path = temporaryPath()
        return (path, try sweep.record(into: ResultStore(path: path)))
    }

    /// A baseline in which every run connects directly in 100 ms.
    static func perfectBaseline() throws -> String {
        let path = temporaryPath()
        let store = try ResultStore(path: path)
        let id = try store.startSweep(name: SyntheticSweep.scenarioName, path: "s.yaml", scenarioHash: "baseline", version: "0.0.9",
                                      runCount: 36, shard: nil)
        for index in 0..<36 {
            var run = sweep.run(index)
            run.outcome = .passed
            run.sessions[0].connected = true
            run.sessions[0].relayUsed = false
            run.sessions[0].connectedTime = .milliseconds(100)
            run.sessions[0].selectedLocalType = "srflx"
            run.sessions[0].selectedRemoteType = "srflx"
            run.sessions[0].selectedProtocol = "udp"
            try store.record(run, sweepID: id, scenarioHash: "baseline", version: "0.0.9")
        }
        return path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
