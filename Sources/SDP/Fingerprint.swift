/// `a=fingerprint`: the hash of the DTLS certificate (RFC 8122 5), e.g. `sha-256 AB:CD:...`.
///
/// The DTLS layer compares it with the peer's certificate; the bytes are decoded so that
/// comparison does not depend on hex letter case.
public struct Fingerprint: Hashable, Sendable, SDPAttributeValue {
    public static let attributeName = "fingerprint"

    /// The hash function token, e.g. `sha-256`, as written.
    public var hashFunction: String
    /// The digest bytes.
    public var bytes: [UInt8]

    public init(hashFunction: String, bytes: [UInt8]) {
        self.hashFunction = hashFunction
        self.bytes = bytes
    }

    public init(attributeValue value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard fields.count == 2 else { throw Self.bad(value, "expected '<hash-function> <hex bytes>'") }
        var bytes: [UInt8] = []
        for pair in fields[1].utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
            guard pair.count == 2, let high = Self.nibble(pair[pair.startIndex]), let low = Self.nibble(pair[pair.index(after: pair.startIndex)]) else {
                throw Self.bad(value, "'\(Substring(pair))' is not a pair of hex digits")
            }
            bytes.append(high << 4 | low)
        }
        self.init(hashFunction: String(fields[0]), bytes: bytes)
    }

    /// The value of one hex digit (either case), nil for any other byte.
    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Upper-case hex pairs separated by colons, as RFC 8122 writes them.
    public var hexDigest: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if !text.isEmpty { text.append(UInt8(ascii: ":")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var attributeValue: String { "\(hashFunction) \(hexDigest)" }
}
