import NetTypes
@testable import Simulator

/// The workload of the AQM tests: a source that does not slow down, above the capacity
/// of a 1 Mbps link with a 1 s drop-tail bound.
enum AQMOverload {
    /// 1,000-byte packets (972 payload + 28 headers) at `rate` packets/s for `seconds`
    /// through 1 Mbps (125 packets/s), 10 ms latency, sent with `ecn`; the forward
    /// direction's stats and the codepoints of the packets that left it.
    static func run(aqm: QueueDiscipline, rate: Int = 150, seconds: Int = 8,
                    ecn: ECNCodepoint = .notECT) throws -> (stats: LinkStats, exits: [ECNCodepoint: Int]) {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(1), queue: .time(.seconds(1)), aqm: aqm))
        let counter = ECNExitCounter()
        net.links[0].forward.taps.append(counter)
        let tx = try net.alice.bindUDP(port: 1000)
        tx.ecn = ecn
        _ = try net.bob.bindUDP(port: 2000)
        let destination = Endpoint(net.bobAddress, 2000)
        let gap = Duration.seconds(1) / Int64(rate)
        for i in 0..<(rate * seconds) {
            net.simulation.schedule(at: .zero + gap * Int64(i)) { _ in tx.send([UInt8](repeating: 0x80, count: 972), to: destination) }
        }
        net.simulation.runUntilIdle()
        return (net.links[0].forward.stats, counter.counts)
    }
}
