import NetTypes
import SCTP

/// How a channel retransmits (RFC 8832 §5.1 channel types, RFC 8831 §6.1).
public enum DataChannelReliability: Equatable, Sendable {
    case reliable
    /// Partial reliability: at most this many retransmissions (DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT).
    case maxRetransmits(UInt32)
    /// Partial reliability: give up after this many milliseconds (DATA_CHANNEL_PARTIAL_RELIABLE_TIMED).
    case lifetime(milliseconds: UInt32)

    /// The channel type byte without the unordered bit (0x80).
    var channelType: UInt8 {
        switch self {
        case .reliable: 0x00
        case .maxRetransmits: 0x01
        case .lifetime: 0x02
        }
    }

    var parameter: UInt32 {
        switch self {
        case .reliable: 0
        case .maxRetransmits(let count): count
        case .lifetime(let milliseconds): milliseconds
        }
    }

    init?(channelType: UInt8, parameter: UInt32) {
        switch channelType & 0x7F {
        case 0x00: self = .reliable
        case 0x01: self = .maxRetransmits(parameter)
        case 0x02: self = .lifetime(milliseconds: parameter)
        default: return nil
        }
    }

    /// The SCTP policy for the channel's messages (RFC 3758 via RFC 8831 §6.1).
    var sctpPolicy: SCTPReliability {
        switch self {
        case .reliable: .reliable
        case .maxRetransmits(let count): .maxRetransmits(Int(count))
        case .lifetime(let milliseconds): .lifetime(.milliseconds(Int64(milliseconds)))
        }
    }
}

/// What a channel is: what DATA_CHANNEL_OPEN carries (RFC 8832 §5.1).
public struct DataChannelParameters: Equatable, Sendable {
    public var label: String
    public var `protocol`: String
    public var reliability: DataChannelReliability
    public var ordered: Bool
    /// RFC 8832 §5.1 priority (RFC 8831 §6.4 suggests 128/256/512/1024, the W3C
    /// very-low/low/medium/high, `SCTPStreamPriority`): the channel's stream weight under
    /// the association's weighted fair queueing scheduler, on both sides.
    public var priority: UInt16

    public init(label: String = "", protocol: String = "", reliability: DataChannelReliability = .reliable,
                ordered: Bool = true, priority: UInt16 = 256) {
        self.label = label
        self.protocol = `protocol`
        self.reliability = reliability
        self.ordered = ordered
        self.priority = priority
    }
}

/// An open channel as reported by `channelOpened`.
public struct DataChannelInfo: Equatable, Sendable {
    /// The SCTP stream identifier, used in both directions (RFC 8831 §6.5).
    public var id: UInt16
    public var parameters: DataChannelParameters
    /// Agreed out of band (no DCEP, RFC 8832 §4).
    public var negotiated: Bool
}

/// Which DTLS role this endpoint has: it fixes the parity of the stream identifiers it
/// picks (RFC 8832 §6: the DTLS client even, the server odd), so both sides can open
/// channels at once without colliding.
public enum DataChannelRole: Sendable, Equatable {
    case client, server
}

/// What a `DataChannelEndpoint` tells its user.
public enum DataChannelEvent: Sendable, Equatable {
    case associationEstablished
    case associationFailed(SCTPFailure)
    /// The association shut down gracefully.
    case associationClosed
    /// A channel is open: the peer acknowledged ours, opened one, or it was negotiated.
    case channelOpened(DataChannelInfo)
    /// A message; `isString` for UTF-8 text (PPID 51/56), else binary (53/57).
    case message(channel: UInt16, bytes: [UInt8], isString: Bool)
    /// Both directions of the channel's stream were reset (RFC 8831 §6.7).
    case channelClosed(UInt16)
}

/// Why a data channel call failed.
public enum DataChannelError: Error, Equatable, Sendable {
    /// A DCEP message that does not parse (RFC 8832 §5).
    case malformedControlMessage
    case unknownChannel(UInt16)
    /// The channel id is taken (negotiated ids must be free).
    case channelIDInUse(UInt16)
    /// No free stream identifier of our parity.
    case noFreeStream
    /// The association refused: message too large, buffer full, not established ...
    case sctp(SCTPError)
}

/// Payload protocol identifiers of WebRTC (RFC 8831 §8).
public enum DataChannelPPID {
    public static let control: UInt32 = 50
    public static let string: UInt32 = 51
    public static let binary: UInt32 = 53
    public static let emptyString: UInt32 = 56
    public static let emptyBinary: UInt32 = 57
    /// Deprecated partial messages (RFC 8831 §8): received as whole messages.
    static let stringPartial: UInt32 = 52
    static let binaryPartial: UInt32 = 54
}
