import Congestion
import Testing

/// RFC 8698's equations, each against values computed by hand from the default
/// parameters (XREF 10 ms, KAPPA 0.5, ETA 2, TAU 500 ms, DELTA 100 ms, DFILT 120 ms,
/// GAMMA_MAX 0.1, QBOUND 50 ms, QTH 50 ms, LAMBDA 0.5, PLRREF = PMRREF = 0.01,
/// DLOSS 10 ms, DMARK 2 ms, ALPHA 0.1, FPS 30, BETA_V = BETA_S = 0.1).
@Suite struct NadaEquationTests {
    let p = NadaParameters()

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    /// §4.2 warping: below QTH or without recent loss d_tilde = d_queue; 150 ms with a
    /// recent loss: 50 ms × e^(−0.5 × 100 / 50) = 50 ms × e^−1 = 18.3940 ms.
    @Test func delayWarping() {
        #expect(NadaEquations.warpedDelay(0.030, recentLoss: true, p) == 0.030)
        #expect(NadaEquations.warpedDelay(0.150, recentLoss: false, p) == 0.150)
        #expect(close(NadaEquations.warpedDelay(0.150, recentLoss: true, p), 0.018_393_972_058_572_1))
        #expect(NadaEquations.warpedDelay(0.050, recentLoss: true, p) == 0.050)
    }

    /// §4.2 x_curr = d_tilde + DMARK (p_mark / PMRREF)² + DLOSS (p_loss / PLRREF)²:
    /// 20 ms + 10 ms × (0.02 / 0.01)² = 60 ms; with 0.5 % marking + 2 ms × 0.25 = 60.5 ms.
    @Test func aggregateCongestionSignal() {
        #expect(NadaEquations.aggregateSignal(dTilde: 0.020, pMark: 0, pLoss: 0, p) == 0.020)
        #expect(close(NadaEquations.aggregateSignal(dTilde: 0.020, pMark: 0, pLoss: 0.02, p), 0.060))
        #expect(close(NadaEquations.aggregateSignal(dTilde: 0.020, pMark: 0.005, pLoss: 0.02, p), 0.0605))
    }

    /// §5.1.2 smoothing: 0.1 × 0.5 + 0.9 × 0.1 = 0.14.
    @Test func lossRatioSmoothing() {
        #expect(close(NadaEquations.smoothedRatio(previous: 0.1, sample: 0.5, p), 0.14))
        #expect(NadaEquations.smoothedRatio(previous: 0, sample: 0, p) == 0)
    }

    /// §4.3 γ = min(GAMMA_MAX, QBOUND / (rtt + DELTA + DFILT)) with Table 2's GAMMA_MAX 0.5:
    /// 50 / 320 = 0.156 at 100 ms RTT, 50 / 600 = 0.0833 at 380 ms; GAMMA_MAX 0.1 caps the first.
    @Test func rampUpFactor() {
        #expect(p.gammaMax == 0.5)
        #expect(close(NadaEquations.rampUpFactor(rtt: 0.100, p), 0.15625))
        #expect(close(NadaEquations.rampUpFactor(rtt: 0.380, p), 0.05 / 0.6))
        var narrow = p
        narrow.gammaMax = 0.1
        #expect(NadaEquations.rampUpFactor(rtt: 0.100, narrow) == 0.1)
    }

    /// §4.3 r_ref = max(r_ref, (1 + γ) r_recv): 1.1 × 600 kbps = 660 kbps; a higher r_ref stays.
    @Test func acceleratedRampUp() {
        #expect(close(NadaEquations.rampUp(rRef: 500_000, rRecv: 600_000, gamma: 0.1), 660_000))
        #expect(NadaEquations.rampUp(rRef: 800_000, rRecv: 600_000, gamma: 0.1) == 800_000)
    }

    /// §4.3 gradual update at r_ref 1 Mbps, RMAX 2 Mbps, δ 100 ms, x 30 ms after 25 ms:
    /// x_offset = 30 − 10 × 2 = 10 ms; 0.5 × 0.2 × 0.02 × 1 Mbps = 2 kbps;
    /// x_diff 5 ms: 0.5 × 2 × 0.01 × 1 Mbps = 10 kbps; r_ref = 988 kbps.
    @Test func gradualUpdate() {
        #expect(close(NadaEquations.gradualUpdate(rRef: 1_000_000, xCurr: 0.030, xPrev: 0.025, delta: 0.1, rMax: 2_000_000, p), 988_000))
        // At equilibrium (x = PRIO × XREF × RMAX / r_ref, unchanged) the rate stays.
        #expect(close(NadaEquations.gradualUpdate(rRef: 1_000_000, xCurr: 0.020, xPrev: 0.020, delta: 0.1, rMax: 2_000_000, p), 1_000_000))
        // Below it, and falling, the rate grows: x_offset −10 ms, x_diff −5 ms → +12 kbps.
        #expect(close(NadaEquations.gradualUpdate(rRef: 1_000_000, xCurr: 0.010, xPrev: 0.015, delta: 0.1, rMax: 2_000_000, p), 1_012_000))
        // PRIO 2 doubles the equilibrium congestion level: 40 ms at 1 Mbps.
        var high = p
        high.prio = 2
        #expect(close(NadaEquations.gradualUpdate(rRef: 1_000_000, xCurr: 0.040, xPrev: 0.040, delta: 0.1, rMax: 2_000_000, high), 1_000_000))
    }

    /// §5.2.2 with 1000 bytes in the rate-shaping buffer: 0.1 × 8 × 1000 × 30 = 24 kbps
    /// off the encoder's rate and onto the sending rate, within RMIN and RMAX.
    @Test func rateShaping() {
        #expect(close(NadaEquations.videoRate(rRef: 1_000_000, bufferBytes: 1000, rMin: 150_000, p), 976_000))
        #expect(NadaEquations.videoRate(rRef: 1_000_000, bufferBytes: 1000, rMin: 990_000, p) == 990_000)
        #expect(close(NadaEquations.sendingRate(rRef: 1_000_000, bufferBytes: 1000, rMax: 2_000_000, p), 1_024_000))
        #expect(NadaEquations.sendingRate(rRef: 1_000_000, bufferBytes: 1000, rMax: 1_010_000, p) == 1_010_000)
        #expect(NadaEquations.videoRate(rRef: 1_000_000, bufferBytes: 0, rMin: 150_000, p) == 1_000_000)
    }
}
