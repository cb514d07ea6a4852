import NetTypes

extension TCPConnection {
    /// Feeds an ICMP destination-unreachable about a segment this connection sent
    /// (RFC 5461).
    ///
    /// - A hard error while connecting (SYN-SENT, SYN-RECEIVED) aborts the connection
    ///   with `.error(.unreachable(error))`: the peer refused or cannot be reached, and
    ///   waiting for the SYN retransmissions to run out would only delay the verdict
    ///   (RFC 5461 §4.1; RFC 1122 §4.2.3.9).
    /// - In a synchronized state every error is soft (RFC 5461 §4.1, the defence against
    ///   blind connection-reset attacks): it is remembered in `softError` (what Linux
    ///   reports as the socket error once retransmissions time out) until new data is
    ///   acknowledged, and the connection goes on.
    /// - Soft errors while connecting are remembered the same way.
    ///
    /// `sequenceNumber` is the one the error's quote carries, when the driver has it: an
    /// error whose sequence number is not in flight (SND.UNA ≤ SEG.SEQ < SND.MAX) is
    /// ignored (RFC 5927 §4.1).
    public mutating func handleUnreachable(_ error: TCPUnreachable, sequenceNumber: TCPSequence? = nil, now: Instant) {
        guard state != .closed, state != .listen else { return }
        if let sequenceNumber, !(sndUna <= sequenceNumber && sequenceNumber < sndMax) { return }
        statistics.icmpErrors += 1
        if error.isHard && (state == .synSent || state == .synReceived) {
            enterClosed(event: .error(.unreachable(error)))
        } else {
            softError = error
        }
    }
}
