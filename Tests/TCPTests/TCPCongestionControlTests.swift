import NetTypes
import Testing
@testable import TCP

@Suite struct TCPCongestionControlTests {
    /// RFC 5681: slow start doubles per RTT (ACKs of two segments grow cwnd by two),
    /// congestion avoidance adds one MSS per cwnd acknowledged, loss halves the flight,
    /// a timeout leaves one segment.
    @Test func newRenoTrajectory() {
        var reno = NewReno(mss: 1000, initialWindow: 10_000)
        let t = Instant.zero
        for _ in 0..<5 { reno.onAck(ackedBytes: 2000, smoothedRTT: nil, now: t) }
        #expect(reno.congestionWindow == 20_000)
        for _ in 0..<10 { reno.onAck(ackedBytes: 2000, smoothedRTT: nil, now: t) }
        #expect(reno.congestionWindow == 40_000)
        reno.onAck(ackedBytes: 5000, smoothedRTT: nil, now: t)  // byte counting: at most 2 MSS per ACK
        #expect(reno.congestionWindow == 42_000)
        reno.onCongestionEvent(flightSize: 40_000, now: t)
        #expect(reno.slowStartThreshold == 20_000 && reno.congestionWindow == 20_000)
        // One RTT's worth of ACKs (cwnd bytes) adds one MSS.
        for _ in 0..<10 { reno.onAck(ackedBytes: 2000, smoothedRTT: nil, now: t) }
        #expect(reno.congestionWindow == 21_000)
        for _ in 0..<10 { reno.onAck(ackedBytes: 2000, smoothedRTT: nil, now: t) }
        #expect(reno.congestionWindow == 21_000)  // 20 000 of the 21 000 needed
        reno.onAck(ackedBytes: 1000, smoothedRTT: nil, now: t)
        #expect(reno.congestionWindow == 22_000)
        reno.onRetransmissionTimeout(flightSize: 3000, now: t)
        #expect(reno.congestionWindow == 1000 && reno.slowStartThreshold == 2000)
    }

    /// The same trajectory measured on a connection: cwnd doubles each RTT of slow start.
    @Test func slowStartDoublesPerRoundTrip() {
        var config = TCPConfiguration()
        config.timestamps = false
        config.congestionControl = .newReno
        config.receiveBufferSize = 1 << 20
        let pair = TCPPair(a: config)
        pair.handshake()
        pair.call(.a) { core, now in core.send(pattern(400 * 1460), now: now) }
        var windows: [Int] = []
        for _ in 0..<3 {
            pair.run(for: .milliseconds(100))
            windows.append(pair.a.congestion.congestionWindow / 1460)
        }
        #expect(windows == [20, 40, 80])
    }

    /// RFC 9438: after a loss at W_max = 100 segments, β = 0.7 gives cwnd 70 and
    /// K = ∛(100·0.3/0.4) s; the window then follows W_cubic(t + RTT) = C(t + RTT − K)³ + W_max.
    @Test func cubicFollowsTheCubic() {
        var cubic = Cubic(mss: 1000, initialWindow: 100_000)
        let start = Instant.zero + .seconds(10)
        cubic.onCongestionEvent(flightSize: 100_000, now: start)
        #expect(cubic.windowMax == 100)
        #expect(cubic.congestionWindow == 70_000)
        #expect(cubic.slowStartThreshold == 70_000)
        let rtt = Duration.milliseconds(100)
        let expectedK = Cubic.cubeRoot(75)
        #expect(abs(expectedK - 4.217163326508746) < 1e-12)
        var now = start
        var samples: [Double: Double] = [:]
        for step in 1...80 {
            let acks = Int(cubic.window)
            for _ in 0..<acks { cubic.onAck(ackedBytes: 1000, smoothedRTT: rtt, now: now) }
            samples[Double(step) / 10] = cubic.window
            now += rtt
        }
        #expect(abs(cubic.k.seconds - expectedK) < 1e-6)
        func wCubic(_ t: Double) -> Double { 0.4 * (t - expectedK) * (t - expectedK) * (t - expectedK) + 100 }
        // After the ACKs of the RTT that began at t, cwnd ≈ W_cubic(t + RTT).
        for t in [2.0, 4.2, 6.0] {
            let window = samples[t + 0.1]!
            // The per-ACK step (target − cwnd)/cwnd closes most of the gap within the RTT.
            #expect(abs(window - wCubic(t + 0.1)) < 1.5, "t=\(t): cwnd \(window), W_cubic \(wCubic(t + 0.1))")
        }
        #expect(abs(cubic.cubicWindow(at: .zero) - 70) < 1e-6)  // K is kept to the nanosecond
    }

    /// §4.7 fast convergence: a loss below the previous W_max remembers less than the
    /// current window; §4.3: far below W_max the Reno-friendly estimate leads.
    @Test func cubicFastConvergenceAndRenoRegion() {
        var cubic = Cubic(mss: 1000, initialWindow: 100_000)
        cubic.onCongestionEvent(flightSize: 100_000, now: .zero)
        cubic.onCongestionEvent(flightSize: 70_000, now: .zero + .seconds(1))
        #expect(abs(cubic.windowMax - 70 * 1.7 / 2) < 1e-9)
        #expect(abs(cubic.window - 49) < 1e-9)
        var small = Cubic(mss: 1000, initialWindow: 4000)
        small.onCongestionEvent(flightSize: 4000, now: .zero)  // W_max 4, cwnd 2.8, K = ∛3 s
        for _ in 0..<3 { small.onAck(ackedBytes: 1000, smoothedRTT: .milliseconds(10), now: .zero) }
        // At the start of the epoch W_cubic is still 2.8: the Reno estimate leads.
        #expect(small.window == small.renoEstimate)
        #expect(small.window > 2.8)
    }

    /// RFC 6298 §2: SRTT/RTTVAR from samples, the 1 s floor, doubling and the ceiling.
    @Test func rtoEstimator() {
        var rto = RTOEstimator(initial: .seconds(1), minimum: .milliseconds(200), maximum: .seconds(60))
        #expect(rto.timeout == .seconds(1))
        rto.sample(.milliseconds(100))
        #expect(rto.smoothedRTT == .milliseconds(100) && rto.rttVariation == .milliseconds(50))
        #expect(rto.timeout == .milliseconds(300))
        rto.sample(.milliseconds(180))
        // RTTVAR = 3/4·50 + 1/4·80 = 57.5; SRTT = 7/8·100 + 1/8·180 = 110.
        #expect(rto.rttVariation == .microseconds(57_500) && rto.smoothedRTT == .milliseconds(110))
        #expect(rto.timeout == .milliseconds(340))
        for _ in 0..<3 { rto.backOff() }
        #expect(rto.timeout == .milliseconds(2720))
        for _ in 0..<20 { rto.backOff() }
        #expect(rto.timeout == .seconds(60))
        rto.resetBackoff()
        #expect(rto.timeout == .milliseconds(340))
    }

    @Test func algorithmsByName() {
        #expect(TCPCongestionAlgorithm(rawValue: "newreno") == .newReno)
        #expect(TCPCongestionAlgorithm(rawValue: "cubic") == .cubic)
        #expect(TCPCongestionAlgorithm.cubic.makeController(mss: 1000, initialWindow: 10_000).congestionWindow == 10_000)
    }
}
