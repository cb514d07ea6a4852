import NetTypes
import Testing
@testable import Simulator

/// FQ-CoDel (RFC 8290): deficit round robin shares the link between saturating flows,
/// a sparse flow goes ahead of a standing queue, the fattest flow pays at the limit, and
/// the flow hash is keyed by the run's seed.
@Suite struct FQCoDelTests {
    /// Two flows each offering 150 packets/s of 1,000 bytes to a 1 Mbps link (125/s) for
    /// 5 s: each gets half of the about 625 packets the link carries.
    @Test func saturatingFlowsShareTheLink() throws {
        let delivered = try Self.runFlows(aqm: .fqCodel(FQCoDelParameters()), sparse: false).delivered
        let (a, b) = (Double(delivered[1000, default: 0]), Double(delivered[1001, default: 0]))
        #expect(abs(a - b) / (a + b) < 0.03, "\(a) \(b)")
        #expect(a + b >= 620)
    }

    /// A flow of one 100-byte packet every 100 ms next to a saturating one: under FQ-CoDel
    /// it waits at most for the packet on the wire (8 ms); under drop-tail it waits behind
    /// the standing queue.
    @Test func aSparseFlowGoesAheadOfTheStandingQueue() throws {
        let fq = try Self.runFlows(aqm: .fqCodel(FQCoDelParameters()), sparse: true).sparseDelays
        let fifo = try Self.runFlows(aqm: .dropTail, sparse: true).sparseDelays
        #expect(fq.count >= 30 && fifo.count >= 30)
        #expect(fq.max()! <= Duration.milliseconds(9), "\(fq.max()!)")
        #expect(fifo.max()! > Duration.milliseconds(200), "\(fifo.max()!)")
    }

    @Test func atTheLimitTheFattestFlowLosesItsHeadPacket() {
        var queue = FQCoDelQueue(FQCoDelParameters(limit: 10), perturbation: 7)
        func entry(_ slot: PacketSlot, size: Int) -> FQCoDelQueue.Entry {
            FQCoDelQueue.Entry(slot: slot, size: size, arrival: 0, extraDelay: 0, keepsOrder: true, lost: false, ecn: .notECT)
        }
        // Flow 1 holds 4 large packets (4,000 bytes), flow 2 six small ones (600 bytes).
        for slot in 0..<4 { #expect(queue.enqueue(entry(PacketSlot(slot), size: 1_000), flow: 1) == nil) }
        for slot in 4..<10 { #expect(queue.enqueue(entry(PacketSlot(slot), size: 100), flow: 2) == nil) }
        // The 11th packet, on the flow with more packets, costs flow 1 its head.
        let dropped = queue.enqueue(entry(10, size: 100), flow: 2)
        #expect(dropped?.slot == 0)
        #expect(queue.count == 10 && queue.bytes == 3_000 + 700)
    }

    @Test func servesNewFlowsFirstThenRoundRobinByDeficit() {
        var queue = FQCoDelQueue(FQCoDelParameters(quantum: 1_500), perturbation: 7)
        for slot in 0..<6 {
            _ = queue.enqueue(FQCoDelQueue.Entry(slot: PacketSlot(slot), size: 1_000, arrival: 0, extraDelay: 0, keepsOrder: true,
                                                 lost: false, ecn: .notECT), flow: slot < 3 ? 1 : 2)
        }
        var order: [PacketSlot] = []
        while let next = queue.dequeue(now: 0, mtu: 1_500, drop: { _ in }) { order.append(next.entry.slot) }
        // Quantum 1,500 lets each flow send two 1,000-byte packets, then one, alternately.
        #expect(order == [0, 1, 3, 4, 2, 5])
    }

    @Test func theFlowHashIsKeyedBySeedAndStableWithinARun() {
        let packets = (0..<64).map { port in
            Packet(source: Endpoint(TestNetwork.ip("10.0.0.1"), UInt16(5000 + port)), destination: Endpoint(TestNetwork.ip("10.0.0.2"), 443),
                   payload: [])
        }
        let a = FQCoDelQueue(FQCoDelParameters(), perturbation: 1), b = FQCoDelQueue(FQCoDelParameters(), perturbation: 2)
        #expect(packets.map(a.flow(of:)) == packets.map(a.flow(of:)))
        #expect(packets.map(a.flow(of:)) != packets.map(b.flow(of:)))
        #expect(Set(packets.map(a.flow(of:))).count > 60)
    }

    @Test func sameSeedSameRun() throws {
        let a = try Self.runFlows(aqm: .fqCodel(FQCoDelParameters()), sparse: true)
        let b = try Self.runFlows(aqm: .fqCodel(FQCoDelParameters()), sparse: true)
        #expect(a.delivered == b.delivered && a.sparseDelays == b.sparseDelays && a.drops == b.drops && a.drops > 0)
    }

    /// Flows from ports 1000 and (saturating, or sparse) 1001 through 1 Mbps for 5 s:
    /// packets delivered per source port, the sparse flow's queueing delays, AQM drops.
    static func runFlows(aqm: QueueDiscipline, sparse: Bool) throws
        -> (delivered: [UInt16: Int], sparseDelays: [Duration], drops: Int) {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(1), queue: .time(.seconds(1)), aqm: aqm))
        let bulk = try net.alice.bindUDP(port: 1000), other = try net.alice.bindUDP(port: 1001)
        let rx = try net.bob.bindUDP(port: 2000)
        var delivered: [UInt16: Int] = [:]
        var sparseDelays: [Duration] = []
        rx.onReceive = { d in
            delivered[d.source.port, default: 0] += 1
            if sparse && d.source.port == 1001 {
                let sent = Instant.zero + .milliseconds(100) * Int64(d.payload[0])
                sparseDelays.append(net.simulation.now - sent - .milliseconds(10))
            }
        }
        let destination = Endpoint(net.bobAddress, 2000)
        let gap = Duration.seconds(1) / 150
        for i in 0..<750 {
            net.simulation.schedule(at: .zero + gap * Int64(i)) { _ in
                bulk.send([UInt8](repeating: 0x80, count: 972), to: destination)
                if !sparse { other.send([UInt8](repeating: 0x80, count: 972), to: destination) }
            }
        }
        if sparse {
            for i in 1..<50 {
                net.simulation.schedule(at: .zero + .milliseconds(100) * Int64(i)) { _ in other.send([UInt8(i)] + [UInt8](repeating: 0, count: 71), to: destination) }
            }
        }
        net.simulation.runUntilIdle()
        return (delivered, sparseDelays, net.links[0].forward.stats.dropped(.aqm))
    }
}
