import NetTypes

/// The tunables of a TCP connection. Defaults follow the RFCs; where Linux differs its
/// value is named beside (docs/tcp.md has the table).
public struct TCPConfiguration: Hashable, Sendable {
    /// The largest MSS this end advertises (RFC 9293 §3.7.1). The MSS advertised is the
    /// smaller of this and what `mtu` leaves for data: 1460 over IPv4 and 1440 over IPv6
    /// with the defaults (1500 less 20 or 40 bytes of IP header and 20 of TCP header).
    public var maximumSegmentSize = 1460
    /// The MTU of the interface the connection uses (RFC 9293 §3.7.1: the MSS follows
    /// from it); a driver sets it from the route.
    public var mtu = 1500
    /// Receive buffer in bytes: the largest window advertised (Linux `tcp_rmem` default 131072).
    public var receiveBufferSize = 131_072
    /// Send buffer in bytes: `send` accepts no more (Linux autotunes `tcp_wmem` up to 4 MiB).
    public var sendBufferSize = 4 << 20
    /// The window scale offered (RFC 7323 §2); nil offers none. Linux offers 7.
    public var windowScale: UInt8? = 7
    /// Offer SACK (RFC 2018). Linux: on.
    public var sack = true
    /// Offer timestamps (RFC 7323). Linux: on.
    public var timestamps = true
    /// Nagle's algorithm (RFC 9293 §3.7.4); false is `TCP_NODELAY`. Linux: on.
    public var nagle = true
    /// Delay ACKs (RFC 9293 §3.8.6.3): acknowledge every second full segment or after
    /// `delayedAckTimeout`.
    public var delayedAck = true
    /// The delayed-ACK timer: at most 500 ms (RFC 9293 §3.8.6.3); 200 ms is the classic
    /// BSD value. Linux starts at 40 ms (`TCP_DELACK_MIN`) and adapts up to 200 ms.
    public var delayedAckTimeout = Duration.milliseconds(200)
    /// RTO before any RTT sample: 1 s (RFC 6298 §2.1; Linux 1 s).
    public var initialRTO = Duration.seconds(1)
    /// The RTO's lower bound: 1 s (RFC 6298 §2.4). Linux uses 200 ms (`TCP_RTO_MIN`).
    public var minimumRTO = Duration.seconds(1)
    /// The RTO's upper bound: 60 s (RFC 6298 §2.5 allows any value of at least 60 s).
    /// Linux: 120 s (`TCP_RTO_MAX`).
    public var maximumRTO = Duration.seconds(60)
    /// Retransmissions of a SYN before giving up (Linux `tcp_syn_retries` 6).
    public var synRetries = 6
    /// Retransmissions of a SYN-ACK before giving up (Linux `tcp_synack_retries` 5).
    public var synAckRetries = 5
    /// Retransmissions of data or FIN before giving up (RFC 9293 §3.8.3 R2 ≥ 100 s;
    /// Linux `tcp_retries2` 15).
    public var maximumRetransmissions = 15
    /// MSL; TIME-WAIT lasts 2·MSL (RFC 9293 §3.4.2: 2 minutes). Linux holds TIME-WAIT
    /// for 60 s (`TCP_TIMEWAIT_LEN`), i.e. MSL = 30 s.
    public var maximumSegmentLifetime = Duration.seconds(120)
    /// The initial window in segments: 10 (RFC 6928, Linux). RFC 5681 §3.1 gives 3 for
    /// an MSS of 1460.
    public var initialWindowSegments = 10
    /// Duplicate ACKs that trigger fast retransmit (RFC 5681 §3.2; Linux `tcp_reordering` 3).
    public var duplicateAckThreshold = 3
    /// The congestion controller. Linux's default is CUBIC.
    public var congestionControl = TCPCongestionAlgorithm.cubic
    /// Negotiate ECN (RFC 3168 §6.1.1): new data goes out ECT(0), CE marks come back as
    /// ECE and halve the window as a loss would, without a retransmission. Linux: only
    /// when asked (`tcp_ecn` 2 accepts, does not request).
    public var ecn = false
    /// A fixed initial sequence number, for tests and reproductions of a trace; nil draws
    /// it from the connection's generator (RFC 9293 §3.4.1 asks for unpredictable ISNs;
    /// the simulator's generator is seeded so that runs repeat).
    public var initialSequenceNumber: UInt32?

    public init() {}

    /// The window-scale shift this end applies to the windows it advertises.
    var receiveShift: UInt8 { min(windowScale ?? 0, 14) }
}
