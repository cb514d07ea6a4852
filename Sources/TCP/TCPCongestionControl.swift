import NetTypes

/// A TCP congestion controller: owns the congestion window and slow-start threshold and
/// is told about acknowledgments and losses (RFC 5681 §3).
///
/// The connection does loss *detection* and recovery (fast retransmit, NewReno's partial
/// acknowledgments, the SACK pipe of RFC 6675); the controller only decides how large the
/// window is. Windows are in bytes.
public protocol TCPCongestionControl: Sendable {
    /// The congestion window (cwnd) in bytes.
    var congestionWindow: Int { get }
    /// The slow-start threshold (ssthresh) in bytes; `Int.max` until the first loss.
    var slowStartThreshold: Int { get }
    /// `ackedBytes` of new data were acknowledged outside loss recovery at `now`;
    /// `smoothedRTT` is the connection's SRTT once it has one.
    mutating func onAck(ackedBytes: Int, smoothedRTT: Duration?, now: Instant)
    /// Loss was detected by duplicate ACKs or SACK and fast recovery begins, with
    /// `flightSize` bytes outstanding (RFC 5681 §3.2 step 2).
    mutating func onCongestionEvent(flightSize: Int, now: Instant)
    /// The retransmission timer expired with `flightSize` bytes outstanding (RFC 5681 §3.1
    /// equation 4, loss window of one segment).
    mutating func onRetransmissionTimeout(flightSize: Int, now: Instant)
}

/// The congestion controllers the TCP core implements, by the names Linux gives them
/// (`net.ipv4.tcp_congestion_control`).
public enum TCPCongestionAlgorithm: String, Hashable, Sendable, CaseIterable {
    /// RFC 5681 + RFC 6582.
    case newReno = "newreno"
    /// RFC 9438, Linux's default.
    case cubic

    /// A controller of this kind for segments of `mss` bytes and an initial window of
    /// `initialWindow` bytes.
    public func makeController(mss: Int, initialWindow: Int) -> TCPCongestionController {
        switch self {
        case .newReno: return .newReno(NewReno(mss: mss, initialWindow: initialWindow))
        case .cubic: return .cubic(Cubic(mss: mss, initialWindow: initialWindow))
        }
    }
}

/// One of the implemented controllers, dispatched by a switch rather than an existential
/// so that the per-ACK calls stay direct (DESIGN.md: no boxing on hot paths).
public enum TCPCongestionController: TCPCongestionControl {
    case newReno(NewReno)
    case cubic(Cubic)

    public var congestionWindow: Int {
        switch self {
        case .newReno(let c): return c.congestionWindow
        case .cubic(let c): return c.congestionWindow
        }
    }

    public var slowStartThreshold: Int {
        switch self {
        case .newReno(let c): return c.slowStartThreshold
        case .cubic(let c): return c.slowStartThreshold
        }
    }

    public mutating func onAck(ackedBytes: Int, smoothedRTT: Duration?, now: Instant) {
        switch self {
        case .newReno(var c): c.onAck(ackedBytes: ackedBytes, smoothedRTT: smoothedRTT, now: now); self = .newReno(c)
        case .cubic(var c): c.onAck(ackedBytes: ackedBytes, smoothedRTT: smoothedRTT, now: now); self = .cubic(c)
        }
    }

    public mutating func onCongestionEvent(flightSize: Int, now: Instant) {
        switch self {
        case .newReno(var c): c.onCongestionEvent(flightSize: flightSize, now: now); self = .newReno(c)
        case .cubic(var c): c.onCongestionEvent(flightSize: flightSize, now: now); self = .cubic(c)
        }
    }

    public mutating func onRetransmissionTimeout(flightSize: Int, now: Instant) {
        switch self {
        case .newReno(var c): c.onRetransmissionTimeout(flightSize: flightSize, now: now); self = .newReno(c)
        case .cubic(var c): c.onRetransmissionTimeout(flightSize: flightSize, now: now); self = .cubic(c)
        }
    }
}
