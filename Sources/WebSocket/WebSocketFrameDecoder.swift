/// Cuts a byte stream into WebSocket frames (RFC 6455 §5.2), checking each header before
/// its payload is buffered: masking as the peer's role requires (§5.1), no reserved bits
/// or opcodes, minimal lengths, control frames short and unfragmented (§5.5), and no
/// frame longer than `maximumPayload` (so a peer cannot make it buffer more, §10.4).
public struct WebSocketFrameDecoder: Sendable {
    /// Whether the peer is a client, whose frames must be masked (a server's must not).
    public let peerIsClient: Bool
    /// The largest payload one frame may carry.
    public let maximumPayload: Int
    private var buffer: [UInt8] = []
    private var head = 0

    public init(peerIsClient: Bool, maximumPayload: Int) {
        self.peerIsClient = peerIsClient
        self.maximumPayload = maximumPayload
    }

    /// Bytes received and not yet part of a returned frame.
    public var bufferedBytes: Int { buffer.count - head }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if head > 0 && head * 2 >= buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, unmasked; nil when more bytes are needed. After an error
    /// the stream cannot be resynchronised: the caller fails the connection.
    public mutating func next() throws(WebSocketError) -> WebSocketFrame? {
        let available = buffer.count - head
        guard available >= 2 else { return nil }
        let first = buffer[head], second = buffer[head + 1]
        guard first & 0x70 == 0 else { throw .reservedBits }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { throw .reservedOpcode(first & 0x0F) }
        let fin = first & 0x80 != 0
        let masked = second & 0x80 != 0
        if peerIsClient && !masked { throw .unmaskedClientFrame }
        if !peerIsClient && masked { throw .maskedServerFrame }
        if opcode.isControl && !fin { throw .fragmentedControlFrame }
        var offset = 2
        var length = UInt64(second & 0x7F)
        if length == 126 {
            guard available >= 4 else { return nil }
            length = UInt64(buffer[head + 2]) << 8 | UInt64(buffer[head + 3])
            guard length > 125 else { throw .nonMinimalLength }
            offset = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = (0..<8).reduce(0) { $0 << 8 | UInt64(buffer[head + 2 + $1]) }
            guard length > 0xFFFF, length >> 63 == 0 else { throw .nonMinimalLength }
            offset = 10
        }
        if opcode.isControl && length > 125 { throw .controlFrameTooLong(Int(length)) }
        guard length <= UInt64(maximumPayload) else { throw .tooLarge(length > UInt64(Int.max) ? .max : Int(length)) }
        let count = Int(length)
        let maskOffset = offset
        if masked { offset += 4 }
        guard available >= offset + count else { return nil }
        let start = head + offset
        var payload = Array(buffer[start..<start + count])
        if masked {
            let key = (0..<4).map { buffer[head + maskOffset + $0] }
            for index in payload.indices { payload[index] ^= key[index & 3] }
        }
        head += offset + count
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }
}
