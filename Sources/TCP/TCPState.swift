/// The connection states of RFC 9293 §3.3.2.
public enum TCPState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case closed = "CLOSED"
    case listen = "LISTEN"
    case synSent = "SYN-SENT"
    case synReceived = "SYN-RECEIVED"
    case established = "ESTABLISHED"
    case finWait1 = "FIN-WAIT-1"
    case finWait2 = "FIN-WAIT-2"
    case closeWait = "CLOSE-WAIT"
    case closing = "CLOSING"
    case lastAck = "LAST-ACK"
    case timeWait = "TIME-WAIT"

    /// States after the handshake in which the peer's sequence numbers are known
    /// (RFC 9293 §3.10.7.4 applies).
    public var isSynchronized: Bool {
        switch self {
        case .closed, .listen, .synSent: return false
        default: return true
        }
    }

    /// States in which the application may still queue data (RFC 9293 §3.10.2).
    public var acceptsSends: Bool {
        switch self {
        case .synSent, .synReceived, .established, .closeWait: return true
        default: return false
        }
    }

    /// States in which segments of data or FIN may be sent (RFC 9293 §3.10.2, §3.10.4).
    public var canTransmit: Bool {
        switch self {
        case .established, .closeWait, .finWait1, .closing, .lastAck: return true
        default: return false
        }
    }

    /// States in which received data is taken for the application (RFC 9293 §3.10.7.4,
    /// seventh step).
    public var acceptsData: Bool {
        switch self {
        case .established, .finWait1, .finWait2: return true
        default: return false
        }
    }

    public var description: String { rawValue }
}

/// What a connection tells its application (`CoreOutput.event`).
public enum TCPEvent: Hashable, Sendable {
    /// The handshake completed: the connection is ESTABLISHED.
    case connected
    /// In-order data arrived; `readable` octets now wait for `receive`.
    case dataReceived(readable: Int)
    /// The peer sent FIN: no data follows what is readable (RFC 9293 §3.10.7.4, eighth step).
    case peerClosed
    /// The connection ended normally (TIME-WAIT expired, our FIN acknowledged in LAST-ACK,
    /// or the application aborted it).
    case closed
    /// The peer reset the connection (RST accepted per RFC 5961 §3.2), or refused it.
    case reset
    /// The connection failed.
    case error(TCPError)
}

/// Why a connection failed.
public enum TCPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The retransmission limit was reached in `state` (RFC 9293 §3.8.3, R2).
    case timedOut(TCPState)
    /// An ICMP hard error arrived while connecting (RFC 5461 §4.1).
    case unreachable(TCPUnreachable)

    public var description: String {
        switch self {
        case .timedOut(let state): return "retransmissions exhausted in \(state)"
        case .unreachable(let error): return "destination unreachable: \(error)"
        }
    }
}

/// Counters of one connection, for traces and tests.
public struct TCPStatistics: Hashable, Sendable {
    public var segmentsSent = 0
    public var segmentsReceived = 0
    /// Segments sent again (RTO, fast retransmit, SACK recovery, NewReno partial ACK).
    public var retransmissions = 0
    /// Fast retransmits (entries into fast recovery).
    public var fastRetransmits = 0
    /// Retransmission timer expiries.
    public var timeouts = 0
    /// Zero-window probes sent by the persist timer.
    public var windowProbes = 0
    /// Datagrams that were not a valid TCP segment for this connection.
    public var malformed = 0
    /// ICMP errors taken into account (`handleUnreachable`).
    public var icmpErrors = 0
    /// Segments that arrived marked CE (receiver side, RFC 3168).
    public var ceReceived = 0
    /// Window reductions for ECE (sender side, RFC 3168 §6.1.2).
    public var ecnReductions = 0

    public init() {}
}
