/// An IPv6 prefix that embeds IPv4 addresses (RFC 6052 §2): what a NAT64 translates
/// (RFC 6146) and DNS64 synthesises AAAA records from (RFC 6147).
///
/// The IPv4 address follows the prefix; for prefixes shorter than 96 bits, bits 64-71
/// (the "u" octet) stay zero and the address continues after them (§2.2).
public struct NAT64Prefix: Hashable, Sendable, CustomStringConvertible {
    /// The prefix; its length is 32, 40, 48, 56, 64 or 96.
    public let prefix: IPPrefix

    /// The lengths RFC 6052 §2.2 allows.
    public static let allowedLengths = [32, 40, 48, 56, 64, 96]

    /// The well-known prefix `64:ff9b::/96` (RFC 6052 §2.1).
    public static let wellKnown = NAT64Prefix(unchecked: try! IPPrefix(parsing: "64:ff9b::/96"))

    /// Why `prefix` cannot embed IPv4 addresses, thrown by `init(_:)`.
    public enum Invalid: Error, Equatable, Sendable {
        case notIPv6
        case length(Int)
        /// RFC 6052 §2.2: the u octet (bits 64-71) of a prefix longer than 64 bits is zero.
        case nonZeroUOctet
    }

    /// A prefix embedding IPv4 addresses; throws when RFC 6052 §2.2 forbids it.
    public init(_ prefix: IPPrefix) throws(Invalid) {
        guard case .v6(let address) = prefix.address else { throw .notIPv6 }
        guard Self.allowedLengths.contains(prefix.length) else { throw .length(prefix.length) }
        guard address.bytes[8] == 0 else { throw .nonZeroUOctet }
        self.init(unchecked: prefix)
    }

    private init(unchecked prefix: IPPrefix) { self.prefix = prefix }

    /// Where each of the IPv4 address's four bytes goes in the IPv6 address.
    private var byteOffsets: [Int] {
        let start = prefix.length / 8
        return (0..<4).map { prefix.length <= 64 && start + $0 >= 8 ? start + $0 + 1 : start + $0 }
    }

    /// The IPv4-embedded IPv6 address of `ipv4` (RFC 6052 §2.2); the suffix is zero.
    public func embed(_ ipv4: IPv4Address) -> IPv6Address {
        var bytes = prefix.address.bytes
        for (byte, offset) in zip(ipv4.bytes, byteOffsets) { bytes[offset] = byte }
        return IPv6Address(bytes: bytes)!
    }

    /// The IPv4 address embedded in `address`, or nil when `address` is not in this prefix.
    public func extract(_ address: IPAddress) -> IPv4Address? {
        guard prefix.contains(address), case .v6(let v6) = address else { return nil }
        let bytes = v6.bytes
        let offsets = byteOffsets
        return IPv4Address(bytes[offsets[0]], bytes[offsets[1]], bytes[offsets[2]], bytes[offsets[3]])
    }

    public var description: String { prefix.description }
}
