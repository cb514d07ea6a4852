/// The state of a candidate pair in a check list (RFC 8445 §6.1.2.6).
public enum CandidatePairState: String, Hashable, Sendable, CustomStringConvertible {
    /// Waits until a pair with the same foundation succeeds.
    case frozen
    /// Ready to be checked when the pacer's turn comes.
    case waiting
    /// A check is outstanding.
    case inProgress = "in-progress"
    /// A check produced a success response (the pair or the one it generated is valid).
    case succeeded
    /// The check timed out or got an unrecoverable error.
    case failed

    public var description: String { rawValue }
}
