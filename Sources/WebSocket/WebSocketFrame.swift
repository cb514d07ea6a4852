/// A frame's opcode (RFC 6455 §5.2, §11.8).
public enum WebSocketOpcode: UInt8, Sendable, Hashable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Close, ping and pong (§5.5): at most 125 bytes, never fragmented.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}

/// One WebSocket frame (RFC 6455 §5.2) with its payload unmasked.
public struct WebSocketFrame: Sendable, Hashable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    /// The frame's wire bytes: masked with `maskKey` (a client's frames, §5.3) or not
    /// (a server's); the length in its minimal form (§5.2).
    public func encoded(maskKey: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 14)
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        switch payload.count {
        case 0...125:
            out.append(maskBit | UInt8(payload.count))
        case 126...0xFFFF:
            out.append(maskBit | 126)
            out.append(UInt8(payload.count >> 8))
            out.append(UInt8(payload.count & 0xFF))
        default:
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        guard let maskKey else {
            out += payload
            return out
        }
        precondition(maskKey.count == 4, "a masking key is 4 bytes (RFC 6455 §5.3)")
        out += maskKey
        for (index, byte) in payload.enumerated() { out.append(byte ^ maskKey[index & 3]) }
        return out
    }

    /// A close frame's body (§5.5.1): the code, then the reason cut to fit 125 bytes on a
    /// UTF-8 character boundary.
    public static func closePayload(code: UInt16, reason: String) -> [UInt8] {
        var reasonBytes = Array(reason.utf8.prefix(123))
        while !reasonBytes.isEmpty, String(validating: reasonBytes, as: UTF8.self) == nil { reasonBytes.removeLast() }
        return [UInt8(code >> 8), UInt8(code & 0xFF)] + reasonBytes
    }
}
