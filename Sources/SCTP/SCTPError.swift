/// Why a call on an `SCTPAssociation` was refused.
public enum SCTPError: Error, Equatable, Sendable {
    /// The association is not established (or is shutting down).
    case notEstablished
    /// A message larger than the maximum message size (RFC 8841 §6).
    case messageTooLarge(size: Int, limit: Int)
    /// An empty message (SCTP cannot carry one: RFC 9260 §3.3.1; RFC 8831 §6.6 uses a
    /// one-byte placeholder with its own PPID).
    case emptyMessage
    /// The stream number is not below the negotiated outbound stream count.
    case invalidStream(UInt16)
    /// The stream is being reset and takes no more data until the reset completes.
    case streamResetting(UInt16)
    /// The send queue is full.
    case sendBufferFull
    /// The peer did not announce a needed extension (RE-CONFIG, FORWARD-TSN).
    case unsupportedByPeer
}
