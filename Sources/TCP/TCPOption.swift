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
        switch self {
        case .endOfOptionList: bytes.append(0)
        case .noOperation: bytes.append(1)
        case .maximumSegmentSize(let mss):
            bytes.append(contentsOf: [2, 4, UInt8(mss >> 8), UInt8(mss & 0xFF)])
        case .windowScale(let shift): bytes.append(contentsOf: [3, 3, shift])
        case .sackPermitted: bytes.append(contentsOf: [4, 2])
        case .sack(let blocks):
            bytes.append(5)
            bytes.append(UInt8(truncatingIfNeeded: 2 + 8 * blocks.count))
            for block in blocks {
                Self.append32(block.start.value, to: &bytes)
                Self.append32(block.end.value, to: &bytes)
            }
        case .timestamps(let value, let echo):
            bytes.append(contentsOf: [8, 10])
            Self.append32(value, to: &bytes)
            Self.append32(echo, to: &bytes)
        case .unknown(let kind, let data):
            bytes.append(kind)
            bytes.append(UInt8(truncatingIfNeeded: 2 + data.count))
            bytes.append(contentsOf: data)
        }
    }

    /// Decodes the option list of a header (the bytes between the fixed header and the
    /// data offset). Stops at end-of-option-list; the zero padding after it is not kept.
    public static func decodeList(_ bytes: ArraySlice<UInt8>) throws(TCPDecodeError) -> [TCPOption] {
        var options: [TCPOption] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let kind = bytes[i]
            if kind == 0 { options.append(.endOfOptionList); break }
            if kind == 1 { options.append(.noOperation); i += 1; continue }
            guard i + 1 < bytes.endIndex else { throw .badOptionLength(kind: kind, length: 0) }
            let length = Int(bytes[i + 1])
            guard length >= 2, i + length <= bytes.endIndex else { throw .badOptionLength(kind: kind, length: length) }
            let body = bytes[i + 2..<i + length]
            options.append(try decode(kind: kind, body: body))
            i += length
        }
        return options
    }

    static func decode(kind: UInt8, body: ArraySlice<UInt8>) throws(TCPDecodeError) -> TCPOption {
        let b = body.startIndex
        func wrong() -> TCPDecodeError { .wrongOptionLength(kind: kind, length: body.count + 2) }
        switch kind {
        case 2:
            guard body.count == 2 else { throw wrong() }
            return .maximumSegmentSize(UInt16(body[b]) << 8 | UInt16(body[b + 1]))
        case 3:
            guard body.count == 1 else { throw wrong() }
            return .windowScale(body[b])
        case 4:
            guard body.isEmpty else { throw wrong() }
            return .sackPermitted
        case 5:
            guard !body.isEmpty, body.count % 8 == 0 else { throw wrong() }
            var blocks: [TCPSACKBlock] = []
            var j = b
            while j < body.endIndex {
                blocks.append(TCPSACKBlock(start: TCPSequence(read32(body, j)), end: TCPSequence(read32(body, j + 4))))
                j += 8
            }
            return .sack(blocks)
        case 8:
            guard body.count == 8 else { throw wrong() }
            return .timestamps(value: read32(body, b), echoReply: read32(body, b + 4))
        default:
            return .unknown(kind: kind, data: Array(body))
        }
    }

    @inlinable static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    @inlinable static func read32(_ bytes: ArraySlice<UInt8>, _ i: Int) -> UInt32 {
        UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }
}
