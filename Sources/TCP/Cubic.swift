import NetTypes

/// CUBIC congestion control (RFC 9438), Linux's default.
///
/// After a congestion event the window follows W_cubic(t) = C·(t − K)³ + W_max (§4.2),
/// a cubic centred on the window where the loss happened, reaching it again after
/// K = ∛(W_max·(1 − β)/C) seconds; below the window a Reno flow would have (W_est, §4.3)
/// it grows like Reno. Windows are kept in segments (as the RFC writes them) and
/// reported in bytes. Slow start is RFC 5681's with byte counting (HyStart is not
/// implemented).
public struct Cubic: TCPCongestionControl {
    /// C, the cubic's scaling constant (§5.1).
    public static let c = 0.4
    /// β_cubic, the multiplicative decrease factor (§4.6).
    public static let beta = 0.7

    /// Whether fast convergence (§4.7) releases bandwidth to new flows.
    public var fastConvergence = true
    /// cwnd in segments.
    public private(set) var window: Double
    /// ssthresh in segments.
    public private(set) var threshold = Double.infinity
    /// W_max: the window before the last reduction, in segments (§4.6, §4.7).
    public private(set) var windowMax = 0.0
    /// K: the time from the start of the epoch until W_cubic reaches W_max (§4.2, eq. 2).
    public private(set) var k = Duration.zero
    /// When the current congestion-avoidance epoch began (nil until the first ACK after
    /// slow start or a reduction).
    public private(set) var epochStart: Instant?
    /// W_est, the Reno-friendly estimate, in segments (§4.3).
    public private(set) var renoEstimate = 0.0
    let mss: Int

    public init(mss: Int, initialWindow: Int) {
        self.mss = mss
        window = Double(initialWindow) / Double(mss)
    }

    public var congestionWindow: Int { Int(window * Double(mss)) }
    public var slowStartThreshold: Int { threshold.isInfinite ? Int.max : Int(threshold * Double(mss)) }

    /// W_cubic(t) in segments, `t` after the start of the epoch (§4.2, eq. 1).
    public func cubicWindow(at t: Duration) -> Double {
        let x = t.seconds - k.seconds
        return Self.c * x * x * x + windowMax
    }

    public mutating func onAck(ackedBytes: Int, smoothedRTT: Duration?, now: Instant) {
        let segments = Double(ackedBytes) / Double(mss)
        if window < threshold {
            // Slow start (§4.10 defers to RFC 5681), byte counting with L = 2 (RFC 3465).
            window += min(segments, Double(NewReno.byteCountingLimit))
            return
        }
        if epochStart == nil { startEpoch(now: now) }
        guard let start = epochStart else { return }
        // §4.3: W_est grows like Reno's window with α_cubic, then α = 1 past W_max.
        let alpha = renoEstimate >= windowMax ? 1 : 3 * (1 - Self.beta) / (1 + Self.beta)
        renoEstimate += alpha * segments / window
        let t = now - start
        if cubicWindow(at: t) < renoEstimate {
            window = renoEstimate  // the Reno-friendly region (§4.3)
        } else {
            // §4.4-4.5: aim at W_cubic one RTT ahead, clamped to [cwnd, 1.5·cwnd].
            let target = min(max(cubicWindow(at: t + (smoothedRTT ?? .zero)), window), 1.5 * window)
            window += (target - window) / window * segments
        }
    }

    /// Begins a congestion-avoidance epoch (§4.2): K from the distance to W_max, or zero
    /// when the window is already above it (after a timeout, §4.8).
    mutating func startEpoch(now: Instant) {
        epochStart = now
        if window < windowMax {
            k = Duration.fromSeconds(Self.cubeRoot((windowMax - window) / Self.c))
        } else {
            k = .zero
            windowMax = window
        }
        renoEstimate = window
    }

    public mutating func onCongestionEvent(flightSize: Int, now: Instant) {
        reduce(flightSize: flightSize)
        window = threshold
    }

    public mutating func onRetransmissionTimeout(flightSize: Int, now: Instant) {
        reduce(flightSize: flightSize)
        // §4.8: Reno's loss window; the next epoch starts with K = 0 and W_max at its cwnd.
        window = 1
        windowMax = 0
    }

    /// §4.6 and §4.7: remember W_max (less with fast convergence when the window shrank
    /// since the last event) and set ssthresh to β·flight size.
    mutating func reduce(flightSize: Int) {
        epochStart = nil
        if fastConvergence && window < windowMax {
            windowMax = window * (1 + Self.beta) / 2
        } else {
            windowMax = window
        }
        threshold = max(Double(flightSize) / Double(mss) * Self.beta, 2)
    }

    /// ∛x for x ≥ 0 by Newton's method (the core does without Foundation's `cbrt`); exact
    /// to the last bits and the same on every platform.
    static func cubeRoot(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 0 }
        var y = Double(sign: .plus, exponent: x.exponent / 3, significand: 1)
        for _ in 0..<100 {
            let next = y - (y * y * y - x) / (3 * y * y)
            if next == y { break }
            y = next
        }
        return y
    }
}
