/// Why RTP or RTCP bytes could not be decoded. Decoders throw these instead of trapping,
/// whatever the input.
public enum RTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before a field of `needed` bytes at `offset`.
    case truncated(offset: Int, needed: Int)
    /// The version field is not 2.
    case unsupportedVersion(UInt8)
    /// A length, count or padding field contradicts the bytes around it.
    case invalidLength(String)
    /// A header extension element or profile violates RFC 8285.
    case invalidExtension(String)
    /// A transport-wide feedback packet violates draft-holmer-rmcat-transport-wide-cc-extensions-01.
    case invalidFeedback(String)
    /// An RTP congestion control feedback packet violates RFC 8888 §3.1.
    case invalidCongestionFeedback(String)
    /// A generic NACK, PLI or FIR packet violates RFC 4585 §6.2.1, §6.3.1 or RFC 5104 §4.3.1.
    case invalidFeedbackMessage(String)
    /// An RTX packet (RFC 4588 §4) is too short for its original sequence number.
    case invalidRetransmission(String)
    /// A REMB message violates draft-alvestrand-rmcat-remb-03 §2.2.
    case invalidREMB(String)
    /// A FlexFEC packet violates RFC 8627 §4.2 or uses a variant receivers must ignore.
    case invalidFlexFEC(String)

    public var description: String {
        switch self {
        case .truncated(let offset, let needed): return "truncated: \(needed) byte(s) needed at offset \(offset)"
        case .unsupportedVersion(let v): return "unsupported RTP version \(v)"
        case .invalidLength(let why): return "invalid length: \(why)"
        case .invalidExtension(let why): return "invalid header extension: \(why)"
        case .invalidFeedback(let why): return "invalid transport-wide feedback: \(why)"
        case .invalidCongestionFeedback(let why): return "invalid congestion control feedback: \(why)"
        case .invalidFeedbackMessage(let why): return "invalid feedback message: \(why)"
        case .invalidRetransmission(let why): return "invalid retransmission packet: \(why)"
        case .invalidREMB(let why): return "invalid REMB: \(why)"
        case .invalidFlexFEC(let why): return "invalid FlexFEC packet: \(why)"
        }
    }
}
