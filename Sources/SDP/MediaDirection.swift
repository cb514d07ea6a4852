/// The media direction attributes (RFC 8866 6.7): `sendrecv`, `sendonly`, `recvonly`, `inactive`.
///
/// Unlike other attributes, the name itself is the value (`a=sendonly`).
public enum MediaDirection: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case sendrecv, sendonly, recvonly, inactive

    /// Whether this side sends media.
    public var sends: Bool { self == .sendrecv || self == .sendonly }
    /// Whether this side receives media.
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// The same flow seen from the other side: `sendonly` becomes `recvonly`.
    public var reversed: MediaDirection { MediaDirection(sends: receives, receives: sends) }

    /// What both directions allow.
    public func intersection(_ other: MediaDirection) -> MediaDirection {
        MediaDirection(sends: sends && other.sends, receives: receives && other.receives)
    }

    public var description: String { rawValue }
}
