/// Splits a TCP or TLS byte stream into STUN messages and TURN ChannelData messages.
///
/// Over stream transports the messages follow each other without delimiters and are
/// told apart by their first two bits (RFC 8489 §6.2.2, RFC 8656 §12.5): `00` starts a
/// STUN message of 20 + its length field bytes, `01` a ChannelData message of 4 + its
/// length field bytes, padded to a multiple of 4. Anything else — or a STUN header
/// without the magic cookie, or a length that is not a multiple of 4 — means the stream
/// is not (or no longer) STUN/TURN; the framer then stops with an error and the caller
/// closes the connection, as nothing after it can be re-synchronised.
///
/// Memory is bounded by the largest frame (`maximumFrameSize`) plus the bytes of one
/// `append`: complete frames are handed out as soon as they are whole.
public struct STUNStreamFramer: Sendable {
    /// A STUN message: 20-byte header and at most 65,535 (in practice 65,532) bytes of
    /// attributes; a padded ChannelData message is smaller.
    public static let maximumFrameSize = 20 + 65_535

    private var buffer: [UInt8] = []
    private var start = 0
    /// The error that stopped the stream, if any: no more frames follow it.
    public private(set) var failure: STUNStreamFramingError?

    public init() {}

    /// Bytes buffered and not yet part of a complete frame.
    public var pendingByteCount: Int { buffer.count - start }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        if start == buffer.count {
            buffer = bytes
            start = 0
        } else {
            if start > 0 && start >= buffer.count / 2 {
                buffer.removeFirst(start)
                start = 0
            }
            buffer.append(contentsOf: bytes)
        }
    }

    /// The next complete frame as it was on the wire (a ChannelData message with its
    /// padding), nil while it is incomplete; throws (and keeps throwing) once the stream
    /// holds something that is neither STUN nor ChannelData.
    public mutating func next() throws(STUNStreamFramingError) -> [UInt8]? {
        if let failure { throw failure }
        let available = buffer.count - start
        guard available >= 4 else { return nil }
        let first = buffer[start]
        let length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
        let size: Int
        switch first >> 6 {
        case 0b00:
            guard length % 4 == 0 else { return try fail(.unalignedLength(length)) }
            if available >= 8 && !(buffer[start + 4] == 0x21 && buffer[start + 5] == 0x12
                                   && buffer[start + 6] == 0xA4 && buffer[start + 7] == 0x42) {
                return try fail(.missingMagicCookie)
            }
            size = 20 + length
        case 0b01:
            size = 4 + (length + 3) & ~3
        default:
            return try fail(.notSTUNOrChannelData(firstByte: first))
        }
        guard available >= size else { return nil }
        let frame = Array(buffer[start..<start + size])
        start += size
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return frame
    }

    /// Every complete frame buffered now.
    public mutating func frames() throws(STUNStreamFramingError) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while let frame = try next() { frames.append(frame) }
        return frames
    }

    private mutating func fail(_ error: STUNStreamFramingError) throws(STUNStreamFramingError) -> [UInt8]? {
        failure = error
        buffer = []
        start = 0
        throw error
    }
}

/// Why a byte stream stopped being STUN/TURN framed.
public enum STUNStreamFramingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first two bits are neither `00` (STUN) nor `01` (ChannelData).
    case notSTUNOrChannelData(firstByte: UInt8)
    /// A STUN header whose bytes 4-7 are not the magic cookie 0x2112A442.
    case missingMagicCookie
    /// A STUN length field that is not a multiple of 4 (RFC 8489 §5).
    case unalignedLength(Int)

    public var description: String {
        switch self {
        case .notSTUNOrChannelData(let byte): return "stream byte 0x\(String(byte, radix: 16)) starts neither a STUN nor a ChannelData message"
        case .missingMagicCookie: return "STUN header without the magic cookie"
        case .unalignedLength(let length): return "STUN message length \(length) is not a multiple of 4"
        }
    }
}
