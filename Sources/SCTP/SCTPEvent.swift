import NetTypes

/// What an `SCTPAssociation` tells its user (`CoreOutput.event`).
public enum SCTPEvent: Sendable, Equatable {
    /// The four-way handshake completed (COOKIE-ACK received or COOKIE-ECHO accepted).
    case established
    /// A complete user message, in stream order when ordered.
    case message(SCTPMessage)
    /// The peer reset these incoming streams (RFC 6525): their SSNs start at 0 again;
    /// a data channel treats this as the peer closing the channel (RFC 8831 §6.7).
    case incomingStreamsReset([UInt16])
    /// The peer confirmed the reset of these outgoing streams.
    case outgoingStreamsReset([UInt16])
    /// The peer sent an ERROR chunk (informational; the association goes on).
    case peerError([SCTPErrorCause])
    /// The graceful shutdown completed (§9.2).
    case closed
    /// The association ended abnormally; it ignores further input.
    case failed(SCTPFailure)
}

/// A user message received on a stream.
public struct SCTPMessage: Sendable, Equatable {
    public var stream: UInt16
    public var ppid: UInt32
    public var unordered: Bool
    public var bytes: [UInt8]

    public init(stream: UInt16, ppid: UInt32, unordered: Bool, bytes: [UInt8]) {
        self.stream = stream
        self.ppid = ppid
        self.unordered = unordered
        self.bytes = bytes
    }
}

/// Why an association failed.
public enum SCTPFailure: Sendable, Equatable {
    /// INIT or COOKIE-ECHO went unanswered Max.Init.Retransmits times (§5.1).
    case handshakeTimeout
    /// Association.Max.Retrans consecutive timeouts (§8.1).
    case retransmissionLimit
    /// The peer sent ABORT, with its causes.
    case abortedByPeer([SCTPErrorCause])
    /// We aborted: the user asked, or the peer violated the protocol.
    case aborted(SCTPErrorCause)
}

/// The state of an association (RFC 9260 §4).
public enum SCTPState: Sendable, Equatable {
    case closed, cookieWait, cookieEchoed, established
    case shutdownPending, shutdownSent, shutdownReceived, shutdownAckSent
    /// Failed or aborted: inert.
    case failed
}

/// How long a message is worth retransmitting (RFC 3758 §4; RFC 8831 §6.1 policies).
public enum SCTPReliability: Sendable, Equatable {
    /// Retransmit until acknowledged.
    case reliable
    /// Abandon after this many retransmissions.
    case maxRetransmits(Int)
    /// Abandon when not acknowledged this long after `send`.
    case lifetime(Duration)
}
