/// RFC 8698's equations as pure functions of their inputs (times in seconds, rates in
/// bit/s), so that each is checked against hand-computed values.
public enum NadaEquations {
    /// §4.2: the queuing delay as the congestion signal uses it. Below QTH, or with no
    /// recent loss, d_tilde = d_queue; otherwise the delay is warped down,
    /// d_tilde = QTH × exp(−LAMBDA × (d_queue − QTH) / QTH), so that a queue a loss-based
    /// competitor keeps full does not push NADA to its minimum.
    public static func warpedDelay(_ dQueue: Double, recentLoss: Bool, _ p: NadaParameters) -> Double {
        guard recentLoss, dQueue >= p.qth else { return dQueue }
        return p.qth * CongestionMath.exponential(-p.lambda * (dQueue - p.qth) / p.qth)
    }

    /// §4.2: the aggregate congestion signal (an equivalent delay),
    /// x_curr = d_tilde + DMARK × (p_mark / PMRREF)² + DLOSS × (p_loss / PLRREF)².
    public static func aggregateSignal(dTilde: Double, pMark: Double, pLoss: Double, _ p: NadaParameters) -> Double {
        let mark = pMark / p.pmrref, loss = pLoss / p.plrref
        return dTilde + p.dmark * mark * mark + p.dloss * loss * loss
    }

    /// §5.1.2: exponential smoothing of a loss or marking ratio,
    /// p = ALPHA × p_sample + (1 − ALPHA) × p_previous.
    public static func smoothedRatio(previous: Double, sample: Double, _ p: NadaParameters) -> Double {
        p.alpha * sample + (1 - p.alpha) * previous
    }

    /// §4.3 accelerated ramp-up: γ = min(GAMMA_MAX, QBOUND / (rtt + DELTA + DFILT)), the
    /// largest increase that keeps the self-inflicted queuing delay below QBOUND.
    public static func rampUpFactor(rtt: Double, _ p: NadaParameters) -> Double {
        min(p.gammaMax, p.qbound / (rtt + p.delta + p.dfilt))
    }

    /// §4.3 accelerated ramp-up: r_ref = max(r_ref, (1 + γ) × r_recv).
    public static func rampUp(rRef: Double, rRecv: Double, gamma: Double) -> Double {
        max(rRef, (1 + gamma) * rRecv)
    }

    /// §4.3 gradual update, with δ the time since the previous update:
    /// x_offset = x_curr − PRIO × XREF × RMAX / r_ref;  x_diff = x_curr − x_prev;
    /// r_ref = r_ref − KAPPA × (δ / TAU) × (x_offset / TAU) × r_ref − KAPPA × ETA × (x_diff / TAU) × r_ref.
    /// At equilibrium x_curr = PRIO × XREF × RMAX / r_ref: flows seeing the same
    /// congestion share the link in proportion to their PRIO × RMAX.
    public static func gradualUpdate(rRef: Double, xCurr: Double, xPrev: Double, delta: Double, rMax: Double, _ p: NadaParameters) -> Double {
        let xOffset = xCurr - p.prio * p.xref * rMax / rRef
        let xDiff = xCurr - xPrev
        return rRef - p.kappa * (delta / p.tau) * (xOffset / p.tau) * rRef - p.kappa * p.eta * (xDiff / p.tau) * rRef
    }

    /// §5.2.2: the video encoder's target, lowered by what waits in the rate-shaping
    /// buffer: r_vin = max(RMIN, r_ref − BETA_V × 8 × buffer_len × FPS).
    public static func videoRate(rRef: Double, bufferBytes: Int, rMin: Double, _ p: NadaParameters) -> Double {
        max(rMin, rRef - p.betaV * 8 * Double(bufferBytes) * p.fps)
    }

    /// §5.2.2: the sending rate, raised to drain the rate-shaping buffer:
    /// r_send = min(RMAX, r_ref + BETA_S × 8 × buffer_len × FPS).
    public static func sendingRate(rRef: Double, bufferBytes: Int, rMax: Double, _ p: NadaParameters) -> Double {
        min(rMax, rRef + p.betaS * 8 * Double(bufferBytes) * p.fps)
    }
}
