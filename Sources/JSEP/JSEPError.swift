/// Why a description or trickled candidate from the peer cannot be applied: what a
/// browser's `setRemoteDescription` or `addIceCandidate` rejects (RFC 8829 §5.10, §5.11).
public struct JSEPError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
