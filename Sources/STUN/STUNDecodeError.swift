/// Why bytes are not a well-formed STUN message. The decoder reports every malformed
/// input with one of these; it never traps.
public enum STUNDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer than the 20 bytes of a header.
    case truncatedHeader(available: Int)
    /// One of the two most significant bits is set: not STUN (RFC 7983 demultiplexing).
    case notSTUN(firstByte: UInt8)
    /// Bytes 4-7 are not 0x2112A442.
    case badMagicCookie(UInt32)
    /// The header's length field is not a multiple of 4.
    case lengthNotMultipleOfFour(Int)
    /// The header's length field disagrees with the bytes that follow the header.
    case lengthMismatch(declared: Int, available: Int)
    /// An attribute's value runs past the end of the message.
    case attributeOverrun(type: STUNAttributeType, offset: Int, length: Int)
    /// A length the attribute's definition does not allow.
    case invalidAttributeLength(type: STUNAttributeType, length: Int)
    /// An address family other than 0x01 (IPv4) and 0x02 (IPv6).
    case badAddressFamily(type: STUNAttributeType, family: UInt8)
    /// A text attribute that is not valid UTF-8.
    case invalidUTF8(type: STUNAttributeType)
    /// An error code whose class is not 3-6 or whose number is above 99.
    case invalidErrorCode(type: STUNAttributeType, classBits: UInt8, number: UInt8)

    public var description: String {
        switch self {
        case .truncatedHeader(let n): return "truncated header: \(n) bytes, need 20"
        case .notSTUN(let b): return "not STUN: first byte 0x\(String(b, radix: 16)) has a top bit set"
        case .badMagicCookie(let c): return "bad magic cookie 0x\(String(c, radix: 16))"
        case .lengthNotMultipleOfFour(let n): return "message length \(n) is not a multiple of 4"
        case .lengthMismatch(let d, let a): return "message length \(d) but \(a) bytes follow the header"
        case .attributeOverrun(let t, let o, let l): return "\(t) at offset \(o) with length \(l) overruns the message"
        case .invalidAttributeLength(let t, let l): return "\(t) has invalid length \(l)"
        case .badAddressFamily(let t, let f): return "\(t) has unknown address family 0x\(String(f, radix: 16))"
        case .invalidUTF8(let t): return "\(t) is not valid UTF-8"
        case .invalidErrorCode(let t, let c, let n): return "\(t) has invalid class \(c) / number \(n)"
        }
    }
}
