/// The agent's overall state, as W3C `RTCIceConnectionState` names it.
public enum ICEConnectionState: String, Hashable, Sendable, CustomStringConvertible {
    /// Nothing checked yet.
    case new
    /// Checks are running and no component has a selected pair for all components.
    case checking
    /// Every component has a selected pair (checks may still run).
    case connected
    /// Every component has a nominated pair, local gathering is complete and the peer
    /// signalled end-of-candidates: nothing more will change without a restart.
    case completed
    /// Consent (RFC 7675) has not been confirmed for longer than the disconnect timeout;
    /// may recover.
    case disconnected
    /// All pairs failed with no candidates to come, the checking timeout expired, or
    /// consent was lost (30 s without a response). An ICE restart recovers.
    case failed
    /// `close()` was called.
    case closed

    public var description: String { rawValue }
}
