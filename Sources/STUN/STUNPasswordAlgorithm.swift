/// An entry of PASSWORD-ALGORITHMS / the value of PASSWORD-ALGORITHM (RFC 8489 §14.11):
/// an algorithm number and its parameters (empty for the two defined algorithms).
public struct STUNPasswordAlgorithm: Hashable, Sendable {
    /// 0x0001 MD5, 0x0002 SHA-256; other numbers are kept as received.
    public var number: UInt16
    public var parameters: [UInt8]

    public init(number: UInt16, parameters: [UInt8] = []) {
        self.number = number
        self.parameters = parameters
    }

    /// The long-term key is MD5(username:realm:password) (16 bytes).
    public static let md5 = STUNPasswordAlgorithm(number: 0x0001)
    /// The long-term key is SHA-256(username:realm:password) (32 bytes).
    public static let sha256 = STUNPasswordAlgorithm(number: 0x0002)
}
