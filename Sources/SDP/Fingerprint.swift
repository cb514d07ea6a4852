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
        let fields = value.split(separator: " ")
        guard fields.count == 2 else { throw Self.bad(value, "expected '<hash-function> <hex bytes>'") }
        var bytes: [UInt8] = []
        for pair in fields[1].split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, pair.allSatisfy(\.isHexDigit), let byte = UInt8(pair, radix: 16) else {
                throw Self.bad(value, "'\(pair)' is not a pair of hex digits")
            }
            bytes.append(byte)
        }
        self.init(hashFunction: String(fields[0]), bytes: bytes)
    }

    /// Upper-case hex pairs separated by colons, as RFC 8122 writes them.
    public var hexDigest: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    public var attributeValue: String { "\(hashFunction) \(hexDigest)" }
}
