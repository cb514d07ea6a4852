/// Why bytes are not a valid TCP segment. Decoding never traps: every malformed input
/// ends in one of these.
public enum TCPDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the 20-byte fixed header.
    case truncatedHeader(length: Int)
    /// The data offset is below 5 words or points past the end of the bytes.
    case badDataOffset(words: Int, length: Int)
    /// An option's length byte is below 2 or runs past the header.
    case badOptionLength(kind: UInt8, length: Int)
    /// A known option with the wrong length (RFC 9293 §3.2: MSS 4, RFC 7323: WS 3, TS 10,
    /// RFC 2018: SACK-permitted 2, SACK 2 + 8n).
    case wrongOptionLength(kind: UInt8, length: Int)
    /// The checksum over the pseudo-header does not verify.
    case badChecksum(found: UInt16, expected: UInt16)

    public var description: String {
        switch self {
        case .truncatedHeader(let length): return "segment of \(length) bytes is shorter than a TCP header"
        case .badDataOffset(let words, let length): return "data offset \(words) words does not fit a \(length)-byte segment"
        case .badOptionLength(let kind, let length): return "option \(kind) has length \(length) outside the header"
        case .wrongOptionLength(let kind, let length): return "option \(kind) cannot have length \(length)"
        case .badChecksum(let found, let expected):
            return "checksum 0x\(String(found, radix: 16)) should be 0x\(String(expected, radix: 16))"
        }
    }
}
