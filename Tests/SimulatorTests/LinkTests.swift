import NetTypes
import Testing
@testable import Simulator

@Suite struct LinkTests {
    /// Sends `count` numbered datagrams of `size` payload bytes from alice to bob at `gap`
    /// intervals (all at once for gap 0) and returns bob's recorder.
    func blast(_ net: TestNetwork, count: Int, size: Int = 100, gap: Duration = .zero) throws -> Recorder {
        let tx = try net.alice.bindUDP(port: 1000)
        let recorder = Recorder(try net.bob.bindUDP(port: 2000))
        let destination = Endpoint(net.bobAddress, 2000)
        for i in 0..<count {
            net.simulation.schedule(at: .zero + gap * Int64(i)) { _ in tx.send(numbered(i, size: size), to: destination) }
        }
        net.simulation.runUntilIdle()
        return recorder
    }

    @Test func serializationAndPropagationDelay() throws {
        // 1222 payload bytes + 28 header bytes = 1250 bytes = 10 ms at 1 Mbps.
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(10), bandwidth: .mbps(1)))
        let r = try blast(net, count: 3, size: 1222)
        #expect(r.arrivals.map(\.time) == [20, 30, 40].map { .zero + .milliseconds($0) })
        let stats = net.links[0].forward.stats
        #expect(stats.deliveredPackets == 3 && stats.deliveredBytes == 3750)
        #expect(stats.queueDelay.max == Duration.milliseconds(20).nanoseconds)
    }

    @Test func byteBoundedQueueDropsTail() throws {
        // 972 + 28 = 1000-byte packets; 3000 bytes may wait behind the one on the wire.
        let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1), queue: .bytes(3000)))
        let r = try blast(net, count: 10, size: 972)
        #expect(r.sequence == [0, 1, 2, 3])
        #expect(net.links[0].forward.stats.dropped(.queueOverflow) == 6)
    }

    @Test func timeBoundedQueueDropsTail() throws {
        // 8 ms per packet; packets that would wait more than 20 ms are dropped.
        let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1), queue: .time(.milliseconds(20))))
        let r = try blast(net, count: 10, size: 972)
        #expect(r.sequence == [0, 1, 2])
        #expect(net.links[0].forward.stats.dropped(.queueOverflow) == 7)
    }

    @Test func oversizedPacketsAreDroppedAndCounted() throws {
        let net = TestNetwork.direct(config: LinkConfig(mtu: 1280))
        let tx = try net.alice.bindUDP(port: 1000)
        let recorder = Recorder(try net.bob.bindUDP(port: 2000))
        tx.send([UInt8](repeating: 1, count: 1252), to: Endpoint(net.bobAddress, 2000))  // 1280: fits
        tx.send([UInt8](repeating: 1, count: 1253), to: Endpoint(net.bobAddress, 2000))  // 1281: dropped
        net.simulation.runUntilIdle()
        #expect(recorder.arrivals.count == 1)
        #expect(net.links[0].forward.stats.dropped(.mtuExceeded) == 1)
    }

    @Test func bernoulliLossRateWithinStatisticalBounds() throws {
        let n = 100_000, p = 0.1
        let net = TestNetwork.direct(seed: 11, config: LinkConfig(loss: .bernoulli(p)))
        let r = try blast(net, count: n, size: 10)
        let lost = Double(n - r.arrivals.count)
        let sigma = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(lost - Double(n) * p) < 5 * sigma, "lost \(lost)")
        #expect(net.links[0].forward.stats.dropped(.loss) == Int(lost))
    }

    @Test func gilbertElliottMeanBurstLength() throws {
        let n = 200_000
        let model = GilbertElliott(lossRate: 0.05, meanBurstLength: 4)
        #expect(abs(model.stationaryLossRate - 0.05) < 1e-9)
        let net = TestNetwork.direct(seed: 5, config: LinkConfig(loss: .gilbertElliott(model)))
        let r = try blast(net, count: n, size: 10)
        let received = Set(r.sequence.map { $0 })
        // With 16-bit sequence numbers in the payload, count bursts over arrival order.
        var bursts = 0, lostTotal = 0, run = 0
        var expected = 0
        for seq in r.arrivals.map({ Int($0.datagram.payload[0]) << 8 | Int($0.datagram.payload[1]) }) {
            let gap = (seq - expected + 65536) % 65536
            if gap > 0 { bursts += 1; lostTotal += gap }
            expected = (seq + 1) % 65536
            run = gap
        }
        _ = (received, run)
        let meanBurst = Double(lostTotal) / Double(bursts)
        let lossRate = Double(lostTotal) / Double(n)
        #expect(abs(meanBurst - 4) < 0.4, "mean burst \(meanBurst)")
        #expect(abs(lossRate - 0.05) < 0.01, "loss rate \(lossRate)")
    }

    @Test func jitterWithoutReorderingKeepsOrder() throws {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(50), jitter: .milliseconds(20)))
        let r = try blast(net, count: 500, gap: .milliseconds(1))
        #expect(r.sequence == Array(0..<500))
        let delays = r.arrivals.enumerated().map { (r.arrivals[$0.offset].time - (.zero + .milliseconds(Int64($0.offset)))).milliseconds }
        #expect(delays.min()! >= 30 && delays.max()! <= 70 + 20)
    }

    @Test func jitterWithReorderingReorders() throws {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(50), jitter: .milliseconds(20), jitterReorders: true))
        let r = try blast(net, count: 500, gap: .milliseconds(1))
        #expect(r.sequence != Array(0..<500))
        #expect(Set(r.sequence) == Set(0..<500))
        for (i, arrival) in r.sequence.enumerated() {
            let delay = (r.arrivals[i].time - (.zero + .milliseconds(Int64(arrival)))).milliseconds
            #expect(delay >= 30 - 1e-9 && delay <= 70 + 1e-9)
        }
    }

    @Test func reorderAndDuplicate() throws {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(5), duplicate: 0.1, reorder: 0.1,
                                                        reorderDelay: .milliseconds(3)))
        let r = try blast(net, count: 2000, gap: .milliseconds(1))
        let stats = net.links[0].forward.stats
        #expect(stats.duplicatedPackets > 120 && stats.duplicatedPackets < 280)
        #expect(stats.reorderedPackets > 120 && stats.reorderedPackets < 280)
        #expect(r.arrivals.count == 2000 + stats.duplicatedPackets)
        var inversions = 0
        for i in 1..<r.sequence.count where r.sequence[i] < r.sequence[i - 1] { inversions += 1 }
        #expect(inversions > 100)
    }

    @Test func bandwidthChangeRetimesQueuedPackets() throws {
        // 10 packets of 1250 bytes queued at t=0 on 1 Mbps (10 ms each). At t=25 ms the
        // rate doubles: packet 2 is half sent (5 ms left → 2.5 ms), the rest take 5 ms.
        let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1)))
        net.simulation.schedule(at: .zero + .milliseconds(25)) { _ in
            net.links[0].forward.update(LinkConfig(bandwidth: .mbps(2)))
        }
        let r = try blast(net, count: 10, size: 1222)
        let times = r.arrivals.map { $0.time.nanoseconds }
        #expect(times[0] == 10_000_000 && times[1] == 20_000_000)
        #expect(times[2] == 27_500_000)
        #expect(times[3] == 32_500_000)
        #expect(times[9] == 62_500_000)
    }

    @Test func linkDownDropsQueuedAndNewPackets() throws {
        let net = TestNetwork.direct(config: LinkConfig(bandwidth: .mbps(1)))
        net.simulation.schedule(at: .zero + .milliseconds(15)) { _ in
            net.links[0].forward.update(LinkConfig(bandwidth: .mbps(1), isUp: false))
        }
        let r = try blast(net, count: 5, size: 1222)
        #expect(r.sequence == [0])
        #expect(net.links[0].forward.stats.dropped(.linkDown) == 4)
        #expect(net.simulation.packets.liveCount == 0)
    }

    @Test func latencyChangeAppliesToLaterPackets() throws {
        let net = TestNetwork.direct(config: LinkConfig(latency: .milliseconds(10)))
        net.simulation.schedule(at: .zero + .milliseconds(5)) { _ in
            net.links[0].forward.update(LinkConfig(latency: .milliseconds(50)))
        }
        let r = try blast(net, count: 2, gap: .milliseconds(10))
        #expect(r.arrivals.map(\.time) == [.zero + .milliseconds(10), .zero + .milliseconds(60)])
    }
}
