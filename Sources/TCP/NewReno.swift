import NetTypes

/// Reno congestion control (RFC 5681 §3.1): slow start, congestion avoidance, halving on
/// loss; the NewReno part (RFC 6582, partial acknowledgments) lives in the connection's
/// loss recovery.
public struct NewReno: TCPCongestionControl {
    public private(set) var congestionWindow: Int
    public private(set) var slowStartThreshold = Int.max
    let mss: Int
    /// Bytes acknowledged since cwnd last grew in congestion avoidance.
    var bytesAcked = 0

    /// Slow start grows cwnd by at most this many segments per ACK (RFC 3465 §2.2, L = 2:
    /// a delayed ACK covering two segments grows cwnd by two, so cwnd doubles per RTT).
    static let byteCountingLimit = 2

    public init(mss: Int, initialWindow: Int) {
        self.mss = mss
        congestionWindow = initialWindow
    }

    public mutating func onAck(ackedBytes: Int, smoothedRTT: Duration?, now: Instant) {
        if congestionWindow < slowStartThreshold {
            // RFC 5681 §3.1 equation 2 with RFC 3465 byte counting.
            congestionWindow += min(ackedBytes, Self.byteCountingLimit * mss)
        } else {
            // RFC 5681 §3.1: byte counting in congestion avoidance, one SMSS per cwnd acked.
            bytesAcked += ackedBytes
            if bytesAcked >= congestionWindow {
                bytesAcked -= congestionWindow
                congestionWindow += mss
            }
        }
    }

    public mutating func onCongestionEvent(flightSize: Int, now: Instant) {
        // RFC 5681 §3.2 step 2 (equation 4); the connection inflates by 3 SMSS (RFC 6582).
        slowStartThreshold = max(flightSize / 2, 2 * mss)
        congestionWindow = slowStartThreshold
        bytesAcked = 0
    }

    public mutating func onRetransmissionTimeout(flightSize: Int, now: Instant) {
        // RFC 5681 §3.1 equation 4 and the loss window of one segment.
        slowStartThreshold = max(flightSize / 2, 2 * mss)
        congestionWindow = mss
        bytesAcked = 0
    }
}
