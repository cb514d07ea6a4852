/// How a session's DTLS handshake ended (`SessionResult.dtlsState`): the W3C
/// `RTCDtlsTransportState` values a session can end in.
public enum DTLSOutcome: String, CaseIterable, Sendable {
    /// Both endpoints completed the handshake.
    case connected
    /// An endpoint failed (`DTLSFailureReason`).
    case failed
    /// The handshake was under way when the run ended.
    case connecting
    /// ICE never selected a pair, so DTLS never started.
    case new
}

/// Why a session's DTLS handshake failed (`SessionResult.dtlsFailure`).
public enum DTLSFailureReason: String, CaseIterable, Sendable {
    /// A flight went unanswered through every retransmission.
    case timeout
    /// It timed out because the path drops datagrams as large as the handshake's.
    case mtu
    /// A certificate was not the one its description's fingerprint names.
    case fingerprintMismatch = "fingerprint-mismatch"
    /// Anything else (a decode error, no common profile): the result carries the error.
    case other
}
