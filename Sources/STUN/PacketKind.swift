/// What a datagram received on a shared port carries, told apart by its first byte
/// (RFC 7983 as updated by RFC 9443): how one socket serves STUN, DTLS, TURN channels,
/// RTP and QUIC at once.
public enum PacketKind: Hashable, Sendable, CaseIterable {
    /// 0-3.
    case stun
    /// 16-19.
    case zrtp
    /// 20-63.
    case dtls
    /// 64-79: TURN ChannelData.
    case turnChannel
    /// 80-127 and 192-255.
    case quic
    /// 128-191: RTP or RTCP.
    case rtp
    /// 4-15, or an empty datagram: drop.
    case unknown

    /// Classifies a datagram by its first byte.
    public init(classifying bytes: [UInt8]) {
        guard let first = bytes.first else { self = .unknown; return }
        self.init(firstByte: first)
    }

    /// Classifies by the first byte of a datagram.
    public init(firstByte b: UInt8) {
        switch b {
        case 0...3: self = .stun
        case 16...19: self = .zrtp
        case 20...63: self = .dtls
        case 64...79: self = .turnChannel
        case 128...191: self = .rtp
        case 80...127, 192...255: self = .quic
        default: self = .unknown
        }
    }
}
