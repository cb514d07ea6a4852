/// An address prefix in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`): the unit of
/// routing tables, firewall rules and relay allow/deny lists.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let address: IPAddress
    /// Prefix length in bits (0-32 for IPv4, 0-128 for IPv6).
    public let length: Int

    /// Builds a prefix; host bits of `address` are cleared.
    public init(_ address: IPAddress, length: Int) {
        let maxLength = address.family == .ipv4 ? 32 : 128
        precondition(length >= 0 && length <= maxLength, "prefix length out of range")
        self.length = length
        self.address = IPPrefix.masked(address, length)
    }

    /// Parses `ADDRESS/LENGTH`; a bare address is a host prefix (/32 or /128).
    public init(parsing text: some StringProtocol) throws(ParseError) {
        let input = String(text)
        let parts = input.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .invalidPrefix(input, reason: "more than one '/'") }
        let address: IPAddress
        do { address = try IPAddress(parsing: parts[0]) } catch { throw .invalidPrefix(input, reason: error.description) }
        let maxLength = address.family == .ipv4 ? 32 : 128
        var length = maxLength
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0, n <= maxLength else {
                throw .invalidPrefix(input, reason: "length must be a number from 0 to \(maxLength)")
            }
            length = n
        }
        self.init(address, length: length)
    }

    /// Whether `candidate` lies in this prefix (always false across families).
    @inlinable public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4(let net), .v4(let a)):
            if length == 0 { return true }
            return (a.value ^ net.value) >> (32 - UInt32(length)) == 0
        case (.v6(let net), .v6(let a)):
            if length == 0 { return true }
            if length <= 64 {
                return (a.high ^ net.high) >> (64 - UInt64(length)) == 0
            }
            guard a.high == net.high else { return false }
            return length == 128 ? a.low == net.low : (a.low ^ net.low) >> (128 - UInt64(length)) == 0
        default:
            return false
        }
    }

    static func masked(_ address: IPAddress, _ length: Int) -> IPAddress {
        switch address {
        case .v4(let a):
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length))
            return .v4(IPv4Address(a.value & mask))
        case .v6(let a):
            let highMask: UInt64 = length == 0 ? 0 : (length >= 64 ? ~0 : ~UInt64(0) << (64 - UInt64(length)))
            let lowMask: UInt64 = length <= 64 ? 0 : (length == 128 ? ~0 : ~UInt64(0) << (128 - UInt64(length)))
            return .v6(IPv6Address(high: a.high & highMask, low: a.low & lowMask))
        }
    }

    public var description: String { "\(address)/\(length)" }
}
