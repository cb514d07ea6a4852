import NetTypes

/// An address configured on an interface, with the length of its on-link prefix.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var prefixLength: Int

    public init(_ address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `10.0.0.2/24` or `2001:db8::2/64`; a bare address is a host prefix.
    public init(parsing text: some StringProtocol) throws(ParseError) {
        let prefix = try IPPrefix(parsing: text)
        let whole = String(text)
        let addressText = whole.firstIndex(of: "/").map { String(whole[..<$0]) } ?? whole
        self.address = try IPAddress(parsing: addressText)
        self.prefixLength = prefix.length
    }

    /// The on-link network.
    public var network: IPPrefix { IPPrefix(address, length: prefixLength) }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// A node's attachment to one link: its addresses and the direction it transmits on.
public struct NetworkInterface {
    /// Position in the node's interface list.
    public let index: Int
    public internal(set) var addresses: [InterfaceAddress]
    /// The link this interface is attached to.
    public internal(set) var link: Link?
    /// The link direction this interface transmits on.
    public internal(set) var outbound: LinkDirection?

    /// The first address of `family`, used as source for packets leaving here.
    public func address(of family: AddressFamily) -> IPAddress? {
        addresses.first { $0.address.family == family }?.address
    }
}
