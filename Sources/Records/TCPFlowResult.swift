import NetTypes

/// One TCP connection of a cross-traffic flow (`tcp-bulk` has one, `tcp-web` one per
/// transfer), as the results' `tcp_flows` table holds it.
public struct TCPFlowResult: Sendable, Equatable {
    /// The cross-traffic flow's name (the `session` of its series).
    public var flow: String
    /// `tcp-bulk` or `tcp-web`.
    public var kind: String
    public var sender: String
    public var receiver: String
    /// `newreno` or `cubic`.
    public var congestionControl: String
    /// The transfer's number within the flow (0 for a bulk flow).
    public var transfer: Int
    /// When the sender opened the connection.
    public var start: Duration
    /// When the receiver had read every byte and the sender's FIN (nil: not complete when
    /// the flow stopped or the run ended).
    public var completed: Duration?
    /// When the connection ended: completed, reset, or aborted when the flow stopped or
    /// the run ended.
    public var end: Duration
    /// Bytes the transfer was to send (nil: unlimited, a bulk flow without `bytes`).
    public var size: Int64?
    /// Bytes delivered to the receiving application.
    public var bytesDelivered: Int64
    /// Segments the sender sent again.
    public var retransmissions: Int

    public init(flow: String, kind: String, sender: String, receiver: String, congestionControl: String, transfer: Int,
                start: Duration, completed: Duration?, end: Duration, size: Int64?, bytesDelivered: Int64, retransmissions: Int) {
        self.flow = flow
        self.kind = kind
        self.sender = sender
        self.receiver = receiver
        self.congestionControl = congestionControl
        self.transfer = transfer
        self.start = start
        self.completed = completed
        self.end = end
        self.size = size
        self.bytesDelivered = bytesDelivered
        self.retransmissions = retransmissions
    }
}

/// Names of the time series a TCP cross-traffic flow records every 100 ms in the
/// `series` table, with `session` = the flow's name.
public enum TCPSeries {
    /// Bytes delivered to the receiving application in the interval, as bit/s.
    public static let goodput = "tcp_goodput_bps"
    /// The sender's congestion window, bytes (bulk flows).
    public static let congestionWindow = "tcp_cwnd_bytes"
    /// The sender's smoothed RTT (RFC 6298), ms (bulk flows, once measured).
    public static let smoothedRTT = "tcp_srtt_ms"
    /// Segments sent again in the interval.
    public static let retransmissions = "tcp_retransmissions"
    /// Transfers under way (web flows).
    public static let activeTransfers = "tcp_active_transfers"
    public static let all = [goodput, congestionWindow, smoothedRTT, retransmissions, activeTransfers]
}
