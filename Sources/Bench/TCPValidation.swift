import NetTypes
import SimulatedTCP
import Simulator
import TCP

/// `icelab bench tcp-model`: the simulated TCP against models and against ns-3
/// (docs/tcp.md, "Validation"): one flow's goodput against the Mathis formula over a
/// range of random loss rates, and the fairness of two flows sharing a bottleneck.
public enum TCPValidation {
    /// Loss rates of the Mathis sweep (the ns-3 reference uses the same,
    /// Benchmarks/ns3/tcp-reference.json).
    public static let lossRates: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]

    /// One point of the Mathis sweep: goodput and its ratio to MSS/RTT · C/√p with
    /// C = √(3/2) (Mathis et al. 1997, one ACK per segment).
    public struct MathisPoint: Sendable {
        public var loss: Double
        public var goodputBitsPerSecond: Double
        public var ratio: Double
    }

    /// Runs a NewReno flow for `seconds` with random loss `loss` on the 10 Mbps bottleneck
    /// (a queue of 1000 packets, so the drops are the random ones); RTT 60 ms.
    public static func mathis(loss: Double, seconds: Int64, seed: UInt64 = 1) -> MathisPoint {
        let flow = TCPBenchmark.bulkFlow(seconds: seconds, congestionControl: .newReno, loss: loss,
                                         queueBytes: 1000 * 1500, seed: seed)
        let goodput = Double(flow.delivered) * 8 / Double(seconds)
        let mss = 1448.0 * 8, rtt = 0.060
        let model = mss / rtt * (1.5).squareRoot() / loss.squareRoot()
        return MathisPoint(loss: loss, goodputBitsPerSecond: goodput, ratio: goodput / model)
    }

    /// Goodputs of two flows from different senders over one 10 Mbps bottleneck with a
    /// 50-packet drop-tail queue, RTTs `firstRTT` and `secondRTT`, and their Jain index.
    public static func fairness(congestionControl: TCPCongestionAlgorithm, firstRTT: Duration, secondRTT: Duration,
                                seconds: Int64, seed: UInt64 = 1) -> (goodputs: [Double], jain: Double) {
        let simulation = Simulation(seed: seed)
        let r1 = Router(simulation: simulation, name: "r1")
        let r2 = Router(simulation: simulation, name: "r2")
        func address(_ text: String) -> [InterfaceAddress] { [try! InterfaceAddress(parsing: text)] }
        simulation.connect(r1, r2, config: LinkConfig(latency: .milliseconds(10), bandwidth: TCPBenchmark.bottleneck,
                                                      queue: .bytes(50 * 1500)),
                           addressesA: address("10.0.0.1/24"), addressesB: address("10.0.0.2/24"))
        r1.routes.add(try! IPPrefix(parsing: "10.2.0.0/16"), interface: 0)
        r2.routes.add(try! IPPrefix(parsing: "10.1.0.0/16"), interface: 0)
        let configuration = BulkSenders.configuration(congestionControl)
        var delivered = [0, 0]
        var senders: [TCPSocket] = []
        for (i, rtt) in [firstRTT, secondRTT].enumerated() {
            // The bottleneck's 10 ms each way; the edges carry the rest of the RTT.
            let edge = LinkConfig(latency: (rtt - .milliseconds(20)) / 4, bandwidth: .mbps(100))
            let sender = Host(simulation: simulation, name: "s\(i)")
            let receiver = Host(simulation: simulation, name: "d\(i)")
            simulation.connect(sender, r1, config: edge, addressesA: address("10.1.\(i).2/24"), addressesB: address("10.1.\(i).1/24"))
            simulation.connect(r2, receiver, config: edge, addressesA: address("10.2.\(i).1/24"), addressesB: address("10.2.\(i).2/24"))
            sender.routes.addDefault(interface: 0)
            receiver.routes.addDefault(interface: 0)
            let listener = try! TCPStack.install(on: receiver, configuration: configuration).listen(port: 5001)
            listener.onConnection = { socket in
                socket.onEvent = { event, socket in
                    if case .dataReceived = event { delivered[i] += socket.receive().count }
                }
            }
            senders.append(try! TCPStack.install(on: sender, configuration: configuration)
                .connect(to: Endpoint(try! IPAddress(parsing: "10.2.\(i).2"), 5001)))
        }
        let bulk = BulkSenders(senders, simulation: simulation)
        simulation.run(until: .zero + .seconds(seconds))
        withExtendedLifetime(bulk) {}
        let goodputs = delivered.map { Double($0) * 8 / Double(seconds) }
        let sum = goodputs.reduce(0, +), squares = goodputs.reduce(0) { $0 + $1 * $1 }
        return (goodputs, sum * sum / (Double(goodputs.count) * squares))
    }

    public static func run(seconds: Int64 = 60) -> BenchmarkReport {
        var report = BenchmarkReport()
        for loss in lossRates {
            let point = mathis(loss: loss, seconds: loss <= 0.002 ? 2 * seconds : seconds)
            let basisPoints = Int((loss * 10_000).rounded())
            report.add("mathis_ratio_\(basisPoints)bp", point.ratio,
                       label: "Mathis ratio (C = √1.5), NewReno, loss \(Double(basisPoints) / 100) %")
        }
        for cc in [TCPCongestionAlgorithm.cubic, .newReno] {
            for (first, second) in [(60, 60), (60, 120)] {
                let result = fairness(congestionControl: cc, firstRTT: .milliseconds(Int64(first)),
                                      secondRTT: .milliseconds(Int64(second)), seconds: seconds)
                report.add("jain_\(cc.rawValue)_\(first)_\(second)", result.jain,
                           label: "Jain index, two \(cc.rawValue) flows, RTT \(first)/\(second) ms")
                report.add("share_\(cc.rawValue)_\(first)_\(second)", result.goodputs[0] / (result.goodputs[0] + result.goodputs[1]),
                           label: "first flow's share, \(cc.rawValue), RTT \(first)/\(second) ms")
            }
        }
        return report
    }
}
