import NetTypes

/// Network type, address type and connection address, as in `c=` lines and `a=rtcp`.
///
/// The address is kept as written (it may carry `/ttl` or `/count` suffixes, or be a
/// name); `ipAddress` reads it as an IP address when it is one.
public struct ConnectionData: Hashable, Sendable, CustomStringConvertible {
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// `IN IP4 <address>` or `IN IP6 <address>` for an IP address.
    public init(_ ip: IPAddress) {
        self.init(addressType: ip.family == .ipv4 ? "IP4" : "IP6", address: ip.description)
    }

    /// Parses `<nettype> <addrtype> <address>`; `type` names the line in errors.
    init(parsing value: Substring, type: Character) throws(SDPParseError) {
        let fields = value.fields
        guard fields.count == 3 else {
            throw SDPParseError(.badLine(type, value: String(value), why: "expected '<nettype> <addrtype> <address>'"))
        }
        networkType = String(fields[0])
        addressType = String(fields[1])
        address = String(fields[2])
    }

    /// The address without any `/ttl` or `/count` suffix, when it is an IP address.
    public var ipAddress: IPAddress? {
        let base = address.split(separator: "/", maxSplits: 1).first ?? ""
        return try? IPAddress(parsing: base)
    }

    public var description: String { "\(networkType) \(addressType) \(address)" }
}
