import NetTypes
import Testing
@testable import Congestion

@Suite struct PacerTests {
    /// Runs the pacer like a driver: wake at `nextSendTime`, poll until nil.
    static func run(_ pacer: inout Pacer<Int>, until end: Instant) -> [(Instant, Pacer<Int>.Send)] {
        var sent: [(Instant, Pacer<Int>.Send)] = []
        var now = Instant.zero
        while now <= end {
            while let s = pacer.poll(now: now) { sent.append((now, s)) }
            let next = pacer.nextSendTime(now: now)
            if next == .distantFuture { break }
            now = max(next, now)
        }
        return sent
    }

    @Test func drainsAtThePacingRate() {
        var pacer = Pacer<Int>(rate: .kbps(800))
        for i in 0..<100 { pacer.enqueue(i, size: 1000) }
        let sent = Self.run(&pacer, until: .zero + .seconds(5))
        #expect(sent.count == 100)
        // 100 kB at 800 kbps = 1 s, minus the 5 ms burst allowance (~500 B).
        let last = sent.last!.0
        #expect(last > .zero + .milliseconds(980) && last < .zero + .milliseconds(1000))
        let order = sent.compactMap { if case .media(let p, nil) = $0.1 { return p } else { return nil } }
        #expect(order == Array(0..<100))
    }

    @Test func probeClustersSendPaddingAtTheProbeRate() {
        var pacer = Pacer<Int>(rate: .kbps(300))
        pacer.addProbeCluster(ProbeCluster(id: 7, rate: .mbps(1), minPackets: 5, minBytes: 1875))
        pacer.enqueue(1, size: 500)
        let sent = Self.run(&pacer, until: .zero + .seconds(1))
        guard case .media(1, probeClusterID: 7) = sent[0].1 else { Issue.record("media first, in the cluster"); return }
        var bytes = 500
        for (_, s) in sent.dropFirst() {
            guard case .padding(let size, 7) = s else { Issue.record("padding expected"); return }
            bytes += size
        }
        #expect(sent.count >= 5 && bytes >= 1875)
        // 1 Mbps: the last packet leaves after the earlier bytes took their time.
        let span = sent.last!.0 - sent[0].0
        #expect(abs(span.milliseconds - Double(bytes - 250) * 8 / 1000) < 3)
    }

    /// A padding packet carries the cluster's `paddingTime` of its rate: 2 ms of 1 Mbps is
    /// 250 bytes, 1 ms 125; never more than the owner can pad (255 bytes here).
    @Test func paddingPacketsCarryTheClustersPaddingTime() {
        for (time, expected) in [(Duration.milliseconds(2), 250), (.milliseconds(1), 125), (.milliseconds(8), 255)] {
            var pacer = Pacer<Int>(rate: .kbps(300), maxPaddingSize: 255)
            pacer.addProbeCluster(ProbeCluster(id: 1, rate: .mbps(1), minPackets: 3, minBytes: 0, paddingTime: time))
            let sizes = Self.run(&pacer, until: .zero + .seconds(1)).compactMap { if case .padding(let size, 1) = $0.1 { size } else { nil } }
            #expect(sizes == [Int](repeating: expected, count: 3), "padding time \(time)")
        }
    }
}
