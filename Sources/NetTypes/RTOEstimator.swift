/// The retransmission timeout of RFC 6298: SRTT and RTTVAR from RTT samples (§2),
/// exponential backoff (§5.5), bounds (§2.4-2.5). SCTP computes its RTO the same way
/// (RFC 9260 §6.3.1, same α, β and bounds rules), so TCP and SCTP share this estimator.
public struct RTOEstimator: Sendable {
    /// The smoothed round-trip time; nil before the first sample.
    public private(set) var smoothedRTT: Duration?
    /// The round-trip time variation.
    public private(set) var rttVariation = Duration.zero
    /// The most recent sample.
    public private(set) var latestRTT: Duration?
    /// How many times the timeout has doubled since the last sample.
    public private(set) var backoff = 0
    var initial: Duration
    let minimum: Duration
    let maximum: Duration
    /// Clock granularity G (§2): the timestamp clock ticks in milliseconds.
    static let granularity = Duration.milliseconds(1)

    public init(initial: Duration, minimum: Duration, maximum: Duration) {
        self.initial = initial
        self.minimum = minimum
        self.maximum = maximum
    }

    /// RTO before backoff: §2.1 before a sample, §2.2-2.3 after, bounded by §2.4-2.5.
    public var baseTimeout: Duration {
        guard let srtt = smoothedRTT else { return initial }
        let rto = srtt + max(Self.granularity, rttVariation * Int64(4))
        return min(max(rto, minimum), maximum)
    }

    /// The timeout to arm now: the base doubled `backoff` times, at most the maximum (§5.5).
    public var timeout: Duration {
        var rto = baseTimeout
        for _ in 0..<min(backoff, 30) where rto < maximum { rto = rto * Int64(2) }
        return min(rto, maximum)
    }

    /// Takes an RTT measurement (§2.2 for the first, §2.3 after: α = 1/8, β = 1/4). A
    /// valid sample ends the backoff (Karn's algorithm, §5 and RFC 6298 §3: the backed-off
    /// RTO stays until data that was not retransmitted is acknowledged).
    public mutating func sample(_ rtt: Duration) {
        let r = max(rtt, .zero)
        backoff = 0
        latestRTT = r
        if let srtt = smoothedRTT {
            let delta = srtt > r ? srtt - r : r - srtt
            rttVariation = (rttVariation * Int64(3) + delta) / 4
            smoothedRTT = (srtt * Int64(7) + r) / 8
        } else {
            smoothedRTT = r
            rttVariation = r / 2
        }
    }

    /// Doubles the timeout after an expiry (§5.5).
    public mutating func backOff() { backoff += 1 }

    /// Collapses the backoff: when the handshake completes, the RTO is re-initialised
    /// for the data that follows (§5.7).
    public mutating func resetBackoff() { backoff = 0 }

    /// §5.7: after the SYN (or SYN-ACK) timed out, an initial RTO below 3 s is raised to
    /// 3 s for the data that follows, until a sample replaces it.
    public mutating func raiseInitialAfterSYNTimeout() { initial = max(initial, .seconds(3)) }
}
