/// What a WebSocket endpoint hands its application: whole messages, reassembled from
/// their fragments (RFC 6455 §5.4), and the control frames that matter to it.
public enum WebSocketMessage: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close frame (§5.5.1): its code (1005 "no status" when it had none, §7.1.5) and reason.
    case close(code: UInt16, reason: String)
}

/// Reassembles fragmented messages (§5.4) and checks what frames carry: text is UTF-8
/// (§8.1), a message stays within `maximumMessage` bytes, close bodies hold a code that
/// may be sent (§7.4) and a UTF-8 reason (§5.5.1). Control frames may arrive between
/// fragments and are returned at once.
public struct WebSocketMessageAssembler: Sendable {
    public let maximumMessage: Int
    private var fragments: [UInt8] = []
    private var fragmentedOpcode: WebSocketOpcode?

    public init(maximumMessage: Int) { self.maximumMessage = maximumMessage }

    /// The message `frame` completes, or nil when it starts or continues a fragmented one.
    public mutating func add(_ frame: WebSocketFrame) throws(WebSocketError) -> WebSocketMessage? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return try Self.close(frame.payload)
        case .continuation:
            guard let opcode = fragmentedOpcode else { throw .unexpectedContinuation }
            guard fragments.count + frame.payload.count <= maximumMessage else { throw .tooLarge(fragments.count + frame.payload.count) }
            fragments += frame.payload
            guard frame.fin else { return nil }
            let payload = fragments
            fragments = []
            fragmentedOpcode = nil
            return try Self.message(opcode, payload)
        case .text, .binary:
            guard fragmentedOpcode == nil else { throw .expectedContinuation }
            guard frame.payload.count <= maximumMessage else { throw .tooLarge(frame.payload.count) }
            guard frame.fin else {
                fragmentedOpcode = frame.opcode
                fragments = frame.payload
                return nil
            }
            return try Self.message(frame.opcode, frame.payload)
        }
    }

    private static func message(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws(WebSocketError) -> WebSocketMessage {
        guard opcode == .text else { return .binary(payload) }
        guard let text = String(validating: payload, as: UTF8.self) else { throw .invalidUTF8 }
        return .text(text)
    }

    /// A close body: empty (no status, 1005), or a code of §7.4.1/§7.4.2 that may appear
    /// on the wire plus a UTF-8 reason.
    private static func close(_ payload: [UInt8]) throws(WebSocketError) -> WebSocketMessage {
        guard !payload.isEmpty else { return .close(code: 1005, reason: "") }
        guard payload.count >= 2 else { throw .badCloseCode(UInt16(payload[0])) }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard isSendable(code) else { throw .badCloseCode(code) }
        guard let reason = String(validating: payload[2...], as: UTF8.self) else { throw .invalidUTF8 }
        return .close(code: code, reason: reason)
    }

    /// Codes an endpoint may put in a close frame: the defined 1000-1003, 1007-1011 (and
    /// 1012-1014, registered since), and 3000-4999 for libraries and applications; 1004,
    /// 1005, 1006 and 1015 are reserved for reporting, never sent.
    static func isSendable(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
