import NetTypes

/// One data channel of a session (`data:` entries), as the results' `data_channels`
/// table holds it: when it opened, what its workload moved and how fast.
public struct DataChannelResult: Sendable, Equatable {
    public var session: String
    public var label: String
    /// The workload: `file`, `messages` or `request-response`.
    public var kind: String
    /// `offerer-to-answerer` or `answerer-to-offerer` (the side that opens and sends).
    public var direction: String
    public var ordered: Bool
    /// `reliable`, `max-retransmits=N` or `max-packet-lifetime=Nms`.
    public var reliability: String
    /// From the session's start until the channel was open at its sender (nil: never).
    public var openTime: Duration?
    /// User bytes the sender handed to the channel, and those that reached the receiver.
    public var bytesSent: Int64
    public var bytesDelivered: Int64
    /// A file transfer: from the session's start until the receiver had every byte.
    public var completedTime: Duration?
    /// Delivered bits per second, from the channel's opening until completion (a file)
    /// or the end of the run; nil when it never opened.
    public var goodput: Double?
    /// Message latency in ms (send call to delivery; request to response for
    /// request-response), percentiles over the delivered messages.
    public var latencyP50: Double?
    public var latencyP95: Double?
    public var latencyP99: Double?
    public var messagesSent: Int
    /// Messages delivered (request-response: responses back at the sender).
    public var messagesDelivered: Int
    /// Messages never delivered although a later one of the channel was (given up under
    /// partial reliability, RFC 3758).
    public var messagesAbandoned: Int
    /// Messages of an ordered channel that arrived after a later one (0 unless ordering broke).
    public var messagesOutOfOrder: Int
    /// DATA chunks the sending side's SCTP association sent again (shared by the
    /// channels of that side).
    public var retransmissions: Int

    public init(session: String, label: String, kind: String, direction: String, ordered: Bool, reliability: String,
                openTime: Duration?, bytesSent: Int64, bytesDelivered: Int64, completedTime: Duration?, goodput: Double?,
                latencyP50: Double?, latencyP95: Double?, latencyP99: Double?, messagesSent: Int, messagesDelivered: Int,
                messagesAbandoned: Int, messagesOutOfOrder: Int, retransmissions: Int) {
        self.session = session
        self.label = label
        self.kind = kind
        self.direction = direction
        self.ordered = ordered
        self.reliability = reliability
        self.openTime = openTime
        self.bytesSent = bytesSent
        self.bytesDelivered = bytesDelivered
        self.completedTime = completedTime
        self.goodput = goodput
        self.latencyP50 = latencyP50
        self.latencyP95 = latencyP95
        self.latencyP99 = latencyP99
        self.messagesSent = messagesSent
        self.messagesDelivered = messagesDelivered
        self.messagesAbandoned = messagesAbandoned
        self.messagesOutOfOrder = messagesOutOfOrder
        self.retransmissions = retransmissions
    }

    /// The `session` its time series carry: `SESSION/LABEL`.
    public var seriesName: String { DataChannelSeries.subject(session: session, label: label) }
}

/// Names of the time series a data channel records every 100 ms in the `series` table,
/// with `session` = `SESSION/LABEL`.
public enum DataChannelSeries {
    /// User bytes delivered to the receiver in the interval, as bit/s.
    public static let goodput = "dc_goodput_bps"
    /// The sending association's buffered amount (queued and unacknowledged), bytes.
    public static let bufferedAmount = "dc_buffered_bytes"
    /// The sending association's congestion window, bytes.
    public static let congestionWindow = "dc_cwnd_bytes"
    public static let all = [goodput, bufferedAmount, congestionWindow]

    /// The series' `session` of channel `label` of `session`.
    public static func subject(session: String, label: String) -> String { session + "/" + label }
}
