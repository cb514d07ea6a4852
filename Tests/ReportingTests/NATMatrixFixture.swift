import Foundation
import NetTypes
import Results
import Records

/// A made-up sweep of the size and shape of `Scenarios/nat-matrix.yaml`, recorded without
/// the simulator: the 17 NAT kinds on both sides (`a-nat` × `b-nat`), without and with
/// TURN (`sessions.0.ice-servers`), seeds 1–4, 2,312 runs. Outcomes follow fixed rules:
/// - neither side hard (a mapping that is not endpoint-independent, RFC 4787 §4.1):
///   direct, `srflx→srflx/udp`, 900 ms + 5 ms × seed + 2 ms × the a-side's index;
/// - one side hard: direct through a peer-reflexive candidate, `prflx→srflx/udp` with
///   even seeds and `srflx→prflx/udp` with odd ones (a 2/2 split in every such cell),
///   950 ms + 10 ms × seed;
/// - both hard: relayed (`relay→srflx/udp`, 1,100 ms + 10 ms × seed) with TURN, not
///   connected without.
enum NATMatrixFixture {
    /// The NAT kinds as `run_parameters` stores the sweep's values.
    static let kinds = ["preset=full-cone", "preset=restricted-cone", "preset=port-restricted-cone", "preset=symmetric", "preset=rfc4787",
                        "preset=linux-masquerade", "preset=cgnat", "preset=enterprise"]
        + ["endpoint-independent", "address-dependent", "address-and-port-dependent"].flatMap { mapping in
            ["endpoint-independent", "address-dependent", "address-and-port-dependent"].map { "mapping=\(mapping),filtering=\($0)" }
        }
    static let servers = ["[stun1]", "[stun1,turn1]"]
    static let seeds: [UInt64] = [1, 2, 3, 4]
    static var runCount: Int { kinds.count * kinds.count * servers.count * seeds.count }

    /// Whether a NAT kind's mapping depends on the destination.
    static func hard(_ kind: String) -> Bool {
        kind == "preset=symmetric" || kind == "preset=enterprise" || kind.hasPrefix("mapping=address")
    }

    /// A new database holding the sweep; returns its path and sweep ID.
    static func database() throws -> (path: String, sweepID: Int64) {
        let path = ReportFixture.temporaryPath()
        let store = try ResultStore(path: path)
        let sweepID = try store.startSweep(name: "nat-matrix", path: "Scenarios/nat-matrix.yaml", scenarioHash: "fixture", version: "0.1.0",
                                           runCount: runCount, shard: nil)
        for index in 0..<runCount { try store.record(run(index), sweepID: sweepID, scenarioHash: "fixture", version: "0.1.0") }
        try store.finishSweep(sweepID, wallSeconds: 1)
        return (path, sweepID)
    }

    /// Run `index`: seeds vary fastest, then TURN, then the b-side, then the a-side.
    static func run(_ index: Int) -> RunResult {
        let seed = seeds[index % seeds.count]
        let withTURN = index / seeds.count % servers.count == 1
        let bIndex = index / (seeds.count * servers.count) % kinds.count, aIndex = index / (seeds.count * servers.count * kinds.count)
        let hardSides = [kinds[aIndex], kinds[bIndex]].filter(hard).count
        let connected = hardSides < 2 || withTURN
        let (local, remote, milliseconds): (String, String, Int64) = switch hardSides {
        case 0: ("srflx", "srflx", 900 + 5 * Int64(seed) + 2 * Int64(aIndex))
        case 1: seed % 2 == 0 ? ("prflx", "srflx", 950 + 10 * Int64(seed)) : ("srflx", "prflx", 950 + 10 * Int64(seed))
        default: ("relay", "srflx", 1100 + 10 * Int64(seed))
        }
        let time: Duration? = connected ? .milliseconds(milliseconds) : nil
        let session = SessionResult(name: "call", offerer: "alice", answerer: "bob", connected: connected, connectedTime: time, nominatedTime: time,
                                    selectedLocalType: connected ? local : nil, selectedRemoteType: connected ? remote : nil,
                                    selectedProtocol: connected ? "udp" : nil, finalState: connected ? "completed" : "failed",
                                    relayUsed: connected && hardSides == 2)
        let message = connected ? "session 'call': connected after \(milliseconds) ms via \(local)-\(remote)" : "session 'call': not connected, as expected"
        return RunResult(runIndex: index,
                         parameters: SweepPoint(assignments: [("a-nat", kinds[aIndex]), ("b-nat", kinds[bIndex]),
                                                              ("sessions.0.ice-servers", servers[withTURN ? 1 : 0]), ("seed", "\(seed)")]),
                         seed: seed, outcome: .passed, wallSeconds: 0.001, simulatedTime: .seconds(10), simulatorEvents: 1000,
                         sessions: [session],
                         expectations: [ExpectationResult(description: "{ session: call, traversal: predicted }", passed: true, message: message)])
    }
}
