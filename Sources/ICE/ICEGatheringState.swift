/// Local candidate gathering, as W3C `RTCIceGatheringState` names it.
public enum ICEGatheringState: String, Hashable, Sendable, CustomStringConvertible {
    case new
    /// STUN or relay requests are outstanding.
    case gathering
    /// Every server answered or timed out: end-of-candidates.
    case complete

    public var description: String { rawValue }
}
