import NetTypes

/// Explicit Congestion Notification for TCP (RFC 3168 §6.1): negotiated on the SYNs,
/// CE marks echoed with ECE until the sender answers with CWR, the sender's window
/// reduced once per window of data as for a loss, without a retransmission.
extension TCPConnection {
    /// The ECN flags a segment with `flags` carries besides them: ECE and CWR on an
    /// ECN-setup SYN, ECE on the SYN-ACK that accepts it (§6.1.1), ECE on ACKs while a CE
    /// mark waits for the sender's CWR (§6.1.3).
    func ecnFlags(for flags: TCPFlags) -> TCPFlags {
        if flags.contains(.syn) {
            if !flags.contains(.ack) { return configuration.ecn ? [.ece, .cwr] : [] }
            return ecnEnabled ? .ece : []
        }
        return ecnEnabled && ecnEcho && flags.contains(.ack) ? .ece : []
    }

    /// The peer's SYN (ECE and CWR) or SYN-ACK (ECE without CWR) with our configuration
    /// decides whether the connection uses ECN (§6.1.1).
    mutating func acceptECN(_ flags: TCPFlags) {
        let offered = flags.contains(.ece) && flags.contains(.cwr) != flags.contains(.ack)
        ecnEnabled = configuration.ecn && offered
    }

    /// Receiver side of an arriving segment (§6.1.3): CWR ends the echo, then a CE mark
    /// (re)starts it, so a CE on the segment carrying CWR is echoed too.
    mutating func noteECN(of segment: TCPSegment, arrivedWith ecn: ECNCodepoint) {
        guard ecnEnabled, !segment.flags.contains(.syn) else { return }
        if segment.flags.contains(.cwr) { ecnEcho = false }
        if ecn == .ce {
            statistics.ceReceived += 1
            ecnEcho = true
        }
    }

    /// An ACK of new data carried ECE (§6.1.2): the congestion window shrinks as for a
    /// loss, at most once per window of data and not during loss recovery (which
    /// already reduced it), and the next new segment carries CWR.
    mutating func reduceForECE(now: Instant) {
        guard ecnEnabled, !inRecovery else { return }
        if let ecnRecover, sndUna <= ecnRecover { return }
        congestion.onCongestionEvent(flightSize: flightSize, now: now)
        ecnRecover = sndMax
        cwrPending = true
        statistics.ecnReductions += 1
    }
}
