import NetTypes
import SimulatedTCP
import Simulator
import TCP

/// `icelab bench tcp`: one bulk TCP flow through the simulator, the workload of
/// `Benchmarks/ns3/tcp60s.cc` (targets and the side-by-side figures in
/// docs/performance.md).
///
/// sender —100 Mbps, 10 ms— r1 —10 Mbps, 10 ms, drop-tail 50 packets— r2 —100 Mbps, 10 ms—
/// receiver; CUBIC with SACK, timestamps, window scaling, an initial window of 10, 4 MiB
/// buffers, delayed ACKs (2 segments / 200 ms) and RFC 6298's 1 s minimum RTO: the TCP
/// parameters the ns-3 program sets.
public enum TCPBenchmark {
    /// Workload sizes; tests run them small.
    public struct Sizes: Sendable {
        public var flowSeconds: Int64 = 60

        public init() {}

        public static let tiny: Sizes = {
            var s = Sizes()
            s.flowSeconds = 2
            return s
        }()
    }

    /// What one run of the flow measured.
    public struct FlowResult: Sendable {
        public var wallSeconds: Double
        /// Bytes the receiving application read.
        public var delivered: Int
        /// Segments both ends sent (data, ACKs, handshake).
        public var segments: Int
        public var retransmissions: Int
        public var timeouts: Int
    }

    /// The bottleneck's capacity.
    public static let bottleneck = Bitrate.mbps(10)

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) -> BenchmarkReport {
        var report = BenchmarkReport()
        var result = bulkFlow(seconds: sizes.flowSeconds, congestionControl: .cubic)
        for _ in 1..<max(repetitions, 1) {
            let again = bulkFlow(seconds: sizes.flowSeconds, congestionControl: .cubic)
            if again.wallSeconds < result.wallSeconds { result = again }
        }
        let seconds = Double(sizes.flowSeconds)
        report.add("sim_speedup", seconds / result.wallSeconds, label: "sim speed-up, \(sizes.flowSeconds) s CUBIC flow (sim s / wall s)")
        report.add("goodput_share", Double(result.delivered) * 8 / seconds / Double(bottleneck.bitsPerSecond),
                   label: "goodput / bottleneck capacity")
        report.add("segments_per_s", Double(result.segments) / result.wallSeconds, label: "TCP segments sent per wall second")
        report.add("flow_wall_s", result.wallSeconds, label: "flow, wall seconds")
        report.add("retransmissions", Double(result.retransmissions), label: "segments retransmitted")
        report.add("timeouts", Double(result.timeouts), label: "retransmission timeouts")
        return report
    }

    /// Runs the flow for `seconds` simulated seconds; the application keeps the send
    /// buffer full (`BulkSenders`) and reads everything.
    public static func bulkFlow(seconds: Int64, congestionControl: TCPCongestionAlgorithm, loss: Double = 0,
                                queueBytes: Int = 50 * 1500, seed: UInt64 = 1) -> FlowResult {
        var result = FlowResult(wallSeconds: 0, delivered: 0, segments: 0, retransmissions: 0, timeouts: 0)
        let wall = WallClock.bestSeconds(repetitions: 1) {
            let path = SimBenchmark.threeHopPath(seed: seed, queue: .bytes(queueBytes),
                                                 bottleneck: bottleneck, loss: loss)
            let configuration = BulkSenders.configuration(congestionControl)
            let server = TCPStack.install(on: path.receiver, configuration: configuration)
            let client = TCPStack.install(on: path.sender, configuration: configuration)
            var delivered = 0
            var accepted: TCPSocket?
            let listener = try! server.listen(port: 5001)
            listener.onConnection = { socket in
                accepted = socket
                socket.onEvent = { event, socket in
                    if case .dataReceived = event { delivered += socket.receive().count }
                }
            }
            let socket = try! client.connect(to: Endpoint(path.receiver.interfaces[0].addresses[0].address, 5001))
            let senders = BulkSenders([socket], simulation: path.simulation)
            path.simulation.run(until: .zero + .seconds(seconds))
            let sender = socket.connection.statistics
            result = FlowResult(wallSeconds: 0, delivered: delivered,
                                segments: sender.segmentsSent + (accepted?.connection.statistics.segmentsSent ?? 0),
                                retransmissions: sender.retransmissions, timeouts: sender.timeouts)
            withExtendedLifetime(senders) {}
        }
        result.wallSeconds = wall
        return result
    }
}
