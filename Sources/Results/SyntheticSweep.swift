import NetTypes
import Records

/// A deterministic, made-up NAT-matrix sweep for report benchmarks and tests: run `i` is
/// point `i % 9` of `offerer.mapping` × `answerer.mapping` (each of `mappings`) with
/// seed `i / 9 + 1`, and one session `call` whose outcome follows fixed rules:
/// - both sides address-and-port-dependent: connects through a relay (`relay→srflx/udp`,
///   600 ms + 10 ms × seed) when the seed is even, fails otherwise (the run fails its
///   `connected-within 2s` expectation);
/// - one side address-and-port-dependent: relayed, `relay→srflx/udp`, 400 ms + 10 ms × seed;
/// - otherwise direct: `srflx→srflx/udp` when both are endpoint-independent, else
///   `srflx→prflx/udp`, 150 ms + 5 ms × seed.
/// Every `mediaEvery`-th run also records 30 s of media series (capacity 2.5 Mbit/s).
public struct SyntheticSweep: Sendable {
    public static let mappings = ["endpoint-independent", "address-dependent", "address-and-port-dependent"]
    public static let scenarioName = "synthetic-nat-matrix"

    public var runCount: Int
    /// Every this many runs records media series (0: none).
    public var mediaEvery: Int

    public init(runCount: Int, mediaEvery: Int) {
        self.runCount = runCount
        self.mediaEvery = mediaEvery
    }

    /// The NAT mappings of run `index`'s offerer and answerer, and its seed.
    public static func point(of index: Int) -> (offerer: String, answerer: String, seed: UInt64) {
        (mappings[index % 9 / 3], mappings[index % 3], UInt64(index / 9 + 1))
    }

    /// Records the sweep into `store` and returns its sweep ID.
    public func record(into store: ResultStore, version: String = "0.1.0") throws(ResultStoreError) -> Int64 {
        let sweepID = try store.startSweep(name: Self.scenarioName, path: "Scenarios/\(Self.scenarioName).yaml", scenarioHash: "synthetic",
                                           version: version, runCount: runCount, shard: nil)
        for index in 0..<runCount {
            try store.record(run(index), sweepID: sweepID, scenarioHash: "synthetic", version: version)
        }
        try store.finishSweep(sweepID, wallSeconds: Double(runCount) * 0.01)
        return sweepID
    }

    /// Run `index` as the rules above describe it.
    public func run(_ index: Int) -> RunResult {
        let (offerer, answerer, seed) = Self.point(of: index)
        let symmetric = [offerer, answerer].filter { $0 == "address-and-port-dependent" }.count
        let connected = symmetric < 2 || seed % 2 == 0
        let relayed = symmetric > 0
        let milliseconds = symmetric == 2 ? 600 + 10 * Int64(seed) : symmetric == 1 ? 400 + 10 * Int64(seed) : 150 + 5 * Int64(seed)
        let local = relayed ? "relay" : "srflx"
        let remote = relayed || (offerer == answerer && offerer == "endpoint-independent") ? "srflx" : "prflx"
        let connectTime: Duration? = connected ? .milliseconds(milliseconds) : nil
        let session = SessionResult(
            name: "call", offerer: "alice", answerer: "bob", connected: connected, connectedTime: connectTime, nominatedTime: connectTime,
            selectedLocalType: connected ? local : nil, selectedRemoteType: connected ? remote : nil, selectedProtocol: connected ? "udp" : nil,
            finalState: connected ? "completed" : "failed", checksSent: 12, checksReceived: connected ? 10 : 0, pairsFormed: 4,
            relayUsed: connected && relayed,
            candidates: [CandidateRecord(agent: "offerer", type: "host", transport: "udp", address: Endpoint(.v4(IPv4Address(10, 1, 0, 2)), 50000), priority: 2_130_706_431, time: .zero),
                         CandidateRecord(agent: "offerer", type: "srflx", transport: "udp", address: Endpoint(.v4(IPv4Address(203, 0, 113, 7)), 40000), priority: 1_694_498_815,
                                         time: .milliseconds(30))],
            pairs: [PairRecord(agent: "offerer", localType: local, remoteType: remote, local: Endpoint(.v4(IPv4Address(203, 0, 113, 7)), 40000),
                               remote: Endpoint(.v4(IPv4Address(198, 51, 100, 9)), 3478),
                               state: connected ? "succeeded" : "failed", nominated: connected)])
        let events = [
            TimelineRecord(time: .zero, session: "call", source: "offerer", kind: "state", detail: "checking"),
            TimelineRecord(time: .milliseconds(30), session: "call", source: "offerer", kind: "candidate", detail: "srflx 203.0.113.7:40000"),
            TimelineRecord(time: connectTime ?? .seconds(30), session: "call", source: "offerer", kind: "state",
                           detail: connected ? "connected" : "failed"),
        ]
        let expectation = ExpectationResult(description: "call connected-within 2s", passed: connected,
                                            message: connected ? "connected after \(milliseconds)ms" : "not connected after 30s")
        return RunResult(runIndex: index, parameters: SweepPoint(assignments: [("offerer.mapping", offerer), ("answerer.mapping", answerer),
                                                                               ("seed", "\(seed)")]),
                         seed: seed, outcome: connected ? .passed : .failed, wallSeconds: 0.01, simulatedTime: .seconds(30),
                         simulatorEvents: 5000, sessions: [session], events: events, expectations: [expectation],
                         series: mediaEvery > 0 && index % mediaEvery == 0 ? Self.media() : [])
    }

    /// 30 one-second samples of each media series: a target ramping towards capacity.
    static func media() -> [SeriesSample] {
        var samples: [SeriesSample] = []
        for second in 0..<30 {
            let time = Duration.seconds(Int64(second))
            var target = 300_000.0
            for _ in 0..<second { target = min(target * 1.15, 2_250_000) }
            let values = [("capacity_bps", 2_500_000.0), ("target_bps", target), ("sent_bps", target * 0.98),
                          ("acked_bps", min(target * 0.97, 2_500_000)), ("queue_delay_ms", 20 + 5 * Double(second % 5)),
                          ("packets_expected", 100), ("packets_lost", second % 10 == 0 ? 1 : 0),
                          ("loss_interval_fraction", second % 10 == 0 ? 0.01 : 0)]
            for (name, value) in values { samples.append(SeriesSample(session: "call", name: name, time: time, value: value)) }
        }
        return samples
    }
}
