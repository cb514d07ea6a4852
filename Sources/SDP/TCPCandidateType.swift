/// The role of a TCP candidate (RFC 6544 4.5): who opens the connection.
public enum TCPCandidateType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Opens outgoing connections only (port 9 is written).
    case active
    /// Accepts incoming connections only.
    case passive
    /// Simultaneous open.
    case simultaneousOpen = "so"

    public var description: String { rawValue }
}
