import NetTypes

/// A user message in the send queue, cut into DATA chunks as the windows allow.
struct SCTPOutboundMessage {
    var id: Int
    var stream: UInt16
    var ppid: UInt32
    var unordered: Bool
    var reliability: SCTPReliability
    var created: Instant
    var bytes: [UInt8]
    /// Bytes already cut into chunks.
    var offset = 0
    /// The SSN, assigned with the first fragment, so that a message abandoned before it
    /// was sent leaves no hole in its stream's sequence (RFC 3758 §3.5).
    var ssn: UInt16?
    /// I-DATA: the MID, assigned with the first fragment, and the fragments cut so far
    /// (the next fragment's FSN, RFC 8260 §2.1).
    var mid: UInt32?
    var fragments: UInt32 = 0

    var remaining: Int { bytes.count - offset }

    /// Whether the message's lifetime ran out (RFC 3758 §4, "timed reliability").
    func expired(at now: Instant) -> Bool {
        if case .lifetime(let lifetime) = reliability { return now >= created + lifetime }
        return false
    }
}

/// A DATA chunk sent and not yet cumulatively acknowledged (RFC 9260 §6.2.1).
struct SCTPOutstandingChunk {
    var chunk: SCTPDataChunk
    var messageID: Int
    var reliability: SCTPReliability
    var created: Instant
    var sentAt: Instant
    var transmissions = 1
    /// Reported in a Gap Ack Block.
    var acked = false
    /// Marked for retransmission (T3-rtx or fast retransmit).
    var retransmit = false
    /// Abandoned under its partial reliability policy (RFC 3758 §3.5).
    var abandoned = false
    /// Counted in the flight size.
    var inFlight = true
    /// Miss indications from SACKs (§7.2.4).
    var missingReports = 0
    /// Whether a fast retransmit already happened (only one per chunk, §7.2.4).
    var fastRetransmitted = false

    var size: Int { chunk.userData.count }

    /// Whether the policy gives up on the chunk before sending it again (RFC 3758 §4).
    func shouldAbandon(at now: Instant) -> Bool {
        switch reliability {
        case .reliable: false
        case .maxRetransmits(let limit): transmissions > limit
        case .lifetime(let lifetime): now >= created + lifetime
        }
    }
}
