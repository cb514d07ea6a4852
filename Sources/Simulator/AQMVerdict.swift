import NetTypes

/// What active queue management does with one packet: let it pass, mark it CE (an
/// ECN-capable packet when marking is on, RFC 3168 §5), or drop it.
enum AQMVerdict: Equatable {
    case pass, mark, drop

    /// The verdict for a congestion signal on a packet of codepoint `ecn`: a mark when
    /// `marking` is on and the packet is ECN-capable, else a drop (never CE on Not-ECT).
    @inline(__always)
    static func signal(marking: Bool, _ ecn: ECNCodepoint) -> AQMVerdict {
        marking && ecn.isECNCapable ? .mark : .drop
    }
}
