/// Why a WebSocket peer's input was refused (RFC 6455). Every malformed handshake or
/// frame ends in one of these, never a trap; `closeCode` is what the endpoint sends in
/// its close frame before failing the connection (§7.1.7, §7.4.1).
public enum WebSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The opening handshake is not what §4.1/§4.2.1 require; the text says which part.
    case badHandshake(String)
    /// The request's Sec-WebSocket-Version is not 13 (§4.2.1 item 6; answered with 426, §4.4).
    case unsupportedVersion(String)
    /// The handshake's header block passed `WebSocketHandshake.maximumLength` without ending.
    case handshakeTooLong
    /// A client sent a frame without a mask (§5.1: the server must fail the connection).
    case unmaskedClientFrame
    /// A server sent a masked frame (§5.1: the client must fail the connection).
    case maskedServerFrame
    /// RSV1-3 set without a negotiated extension (§5.2).
    case reservedBits
    /// An opcode RFC 6455 reserves (§5.2: 0x3-0x7, 0xB-0xF).
    case reservedOpcode(UInt8)
    /// A 16- or 64-bit length that a shorter form could have carried, or a 64-bit length
    /// with its top bit set (§5.2: "the minimal number of bytes MUST be used").
    case nonMinimalLength
    /// A message (or a frame of one) longer than the endpoint's limit (§10.4); close 1009.
    case tooLarge(Int)
    /// A text message whose payload is not UTF-8 (§8.1); close 1007.
    case invalidUTF8
    /// A control frame with more than 125 bytes of payload (§5.5).
    case controlFrameTooLong(Int)
    /// A control frame without FIN (§5.5: control frames must not be fragmented).
    case fragmentedControlFrame
    /// A continuation frame with no fragmented message in progress (§5.4).
    case unexpectedContinuation
    /// A new text or binary frame while a fragmented message waits for its continuation (§5.4).
    case expectedContinuation
    /// A close frame with a one-byte body, or a code that may not be sent (§7.4.1, §7.4.2).
    case badCloseCode(UInt16)

    /// The close code of §7.4.1 that reports this error to the peer.
    public var closeCode: UInt16 {
        switch self {
        case .tooLarge: 1009
        case .invalidUTF8: 1007
        default: 1002
        }
    }

    public var description: String {
        switch self {
        case .badHandshake(let why): "bad opening handshake: \(why)"
        case .unsupportedVersion(let version): "unsupported WebSocket version '\(version.prefix(16))'"
        case .handshakeTooLong: "opening handshake too long"
        case .unmaskedClientFrame: "unmasked frame from a client"
        case .maskedServerFrame: "masked frame from a server"
        case .reservedBits: "reserved bits set"
        case .reservedOpcode(let opcode): "reserved opcode \(opcode)"
        case .nonMinimalLength: "payload length not in its minimal form"
        case .tooLarge(let bytes): "message too large: \(bytes) bytes"
        case .invalidUTF8: "text message is not UTF-8"
        case .controlFrameTooLong(let bytes): "control frame of \(bytes) bytes (at most 125)"
        case .fragmentedControlFrame: "fragmented control frame"
        case .unexpectedContinuation: "continuation frame without a message"
        case .expectedContinuation: "new message before the fragmented one ended"
        case .badCloseCode(let code): "bad close code \(code)"
        }
    }
}
