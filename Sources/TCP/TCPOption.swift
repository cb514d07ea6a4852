/// A block of received octets the receiver reports in a SACK option: `start` is the first
/// sequence number of the block, `end` the one after its last (RFC 2018 §3).
public struct TCPSACKBlock: Hashable, Sendable {
    public var start: TCPSequence
    public var end: TCPSequence

    @inlinable public init(start: TCPSequence, end: TCPSequence) { self.start = start; self.end = end }
}

/// One TCP option (RFC 9293 §3.1-3.2 and the options registry).
///
/// Encoding writes exactly the option's bytes; alignment NOPs are explicit options, as
/// on the wire, so that a decoded header re-encodes byte for byte.
public enum TCPOption: Hashable, Sendable {
    /// Kind 0: end of the option list (RFC 9293 §3.2).
    case endOfOptionList
    /// Kind 1: padding between options (RFC 9293 §3.2).
    case noOperation
    /// Kind 2: the largest segment the sender of a SYN will receive (RFC 9293 §3.7.1).
    case maximumSegmentSize(UInt16)
    /// Kind 3: the shift applied to the sender's windows after the SYN (RFC 7323 §2).
    case windowScale(UInt8)
    /// Kind 4: SACK may be used on this connection (RFC 2018 §2).
    case sackPermitted
    /// Kind 5: blocks of out-of-order data held by the receiver (RFC 2018 §3).
    case sack([TCPSACKBlock])
    /// Kind 8: timestamp value and echo reply (RFC 7323 §3).
    case timestamps(value: UInt32, echoReply: UInt32)
    /// Any other kind, kept with its data so that the header re-encodes unchanged; the
    /// connection ignores it (RFC 9293 §3.2: unknown options are skipped by length).
    case unknown(kind: UInt8, data: [UInt8])

    /// Bytes the option occupies in the header.
    public var encodedLength: Int {
        switch self {
        case .endOfOptionList, .noOperation: return 1
        case .maximumSegmentSize: return 4
        case .windowScale: return 3
        case .sackPermitted: return 2
        case .sack(let blocks): return 2 + 8 * blocks.count
        case .timestamps: return 10
        case .unknown(_, let data): return 2 + data.count
        }
    }

    /// Appends the option's bytes to `bytes`.
    public func encode(into bytes: inout [UInt8]) {
        write(into: &bytes)
    }

    /// Writes the option's bytes to `sink`.
    func write<Sink: TCPByteSink>(into sink: inout Sink) {
        switch self {
        case .endOfOptionList: sink.append(0)
        case .noOperation: sink.append(1)
        case .maximumSegmentSize(let mss):
            sink.append(2)
            sink.append(4)
            sink.append(UInt8(mss >> 8))
            sink.append(UInt8(mss & 0xFF))
        case .windowScale(let shift):
            sink.append(3)
            sink.append(3)
            sink.append(shift)
        case .sackPermitted:
            sink.append(4)
            sink.append(2)
        case .sack(let blocks):
            sink.append(5)
            sink.append(UInt8(truncatingIfNeeded: 2 + 8 * blocks.count))
            for block in blocks {
                sink.append32(block.start.value)
                sink.append32(block.end.value)
            }
        case .timestamps(let value, let echo):
            sink.append(8)
            sink.append(10)
            sink.append32(value)
            sink.append32(echo)
        case .unknown(let kind, let data):
            sink.append(kind)
            sink.append(UInt8(truncatingIfNeeded: 2 + data.count))
            for byte in data { sink.append(byte) }
        }
    }

    /// Checks the data length of an option of `kind` (RFC 9293 §3.2, RFC 7323, RFC 2018);
    /// unknown kinds take any length.
    static func validate(kind: UInt8, bodyLength: Int) throws(TCPDecodeError) {
        let valid: Bool
        switch kind {
        case 2: valid = bodyLength == 2
        case 3: valid = bodyLength == 1
        case 4: valid = bodyLength == 0
        case 5: valid = bodyLength > 0 && bodyLength % 8 == 0
        case 8: valid = bodyLength == 8
        default: valid = true
        }
        guard valid else { throw .wrongOptionLength(kind: kind, length: bodyLength + 2) }
    }

    static func decode(kind: UInt8, body: ArraySlice<UInt8>) throws(TCPDecodeError) -> TCPOption {
        try validate(kind: kind, bodyLength: body.count)
        let b = body.startIndex
        switch kind {
        case 2:
            return .maximumSegmentSize(UInt16(body[b]) << 8 | UInt16(body[b + 1]))
        case 3:
            return .windowScale(body[b])
        case 4:
            return .sackPermitted
        case 5:
            var blocks: [TCPSACKBlock] = []
            var j = b
            while j < body.endIndex {
                blocks.append(TCPSACKBlock(start: TCPSequence(read32(body, j)), end: TCPSequence(read32(body, j + 4))))
                j += 8
            }
            return .sack(blocks)
        case 8:
            return .timestamps(value: read32(body, b), echoReply: read32(body, b + 4))
        default:
            return .unknown(kind: kind, data: Array(body))
        }
    }

    @inlinable static func read32(_ bytes: ArraySlice<UInt8>, _ i: Int) -> UInt32 {
        UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }
}

/// Where option and header bytes are written: a growing array, or the inline bytes of
/// `TCPOptionBytes`.
protocol TCPByteSink {
    mutating func append(_ byte: UInt8)
}

extension TCPByteSink {
    /// Appends `value` big-endian.
    mutating func append32(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8(value >> 16 & 0xFF))
        append(UInt8(value >> 8 & 0xFF))
        append(UInt8(value & 0xFF))
    }
}

extension Array: TCPByteSink where Element == UInt8 {}

extension TCPOptionBytes: TCPByteSink {}
