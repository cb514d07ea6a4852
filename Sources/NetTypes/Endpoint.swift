/// A transport address: IP address and port.
public struct Endpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    @inlinable public init(_ address: IPAddress, _ port: UInt16) { self.address = address; self.port = port }

    /// Parses `1.2.3.4:5678` or `[2001:db8::1]:5678`.
    public init(parsing text: some StringProtocol) throws(ParseError) {
        let input = String(text)
        let hostPart: Substring
        let portPart: Substring
        if input.hasPrefix("[") {
            guard let close = input.firstIndex(of: "]") else { throw .invalidEndpoint(input, reason: "missing ']'") }
            hostPart = input[input.index(after: input.startIndex)..<close]
            let rest = input[input.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidEndpoint(input, reason: "expected ':PORT' after ']'") }
            portPart = rest.dropFirst()
        } else {
            guard let colon = input.lastIndex(of: ":") else {
                throw .invalidEndpoint(input, reason: "expected HOST:PORT")
            }
            hostPart = input[..<colon]
            if hostPart.contains(":") {
                throw .invalidEndpoint(input, reason: "write IPv6 endpoints as [ADDRESS]:PORT")
            }
            portPart = input[input.index(after: colon)...]
        }
        let address: IPAddress
        do { address = try IPAddress(parsing: hostPart) } catch { throw .invalidEndpoint(input, reason: error.description) }
        guard let port = UInt16(portPart) else {
            throw .invalidEndpoint(input, reason: "port must be a number from 0 to 65535")
        }
        self.init(address, port)
    }

    /// An IPv4 endpoint hashes as one word (address and port side by side, no case tag):
    /// endpoints key the per-packet tables of sockets, relays and NAT mappings.
    @inlinable public func hash(into hasher: inout Hasher) {
        switch address {
        case .v4(let a): hasher.combine(UInt64(a.value) << 16 | UInt64(port))
        case .v6(let a): hasher.combine(a.high); hasher.combine(a.low); hasher.combine(port)
        }
    }

    public static func < (a: Endpoint, b: Endpoint) -> Bool { (a.address, a.port) < (b.address, b.port) }

    /// `1.2.3.4:5678` or `[2001:db8::1]:5678`.
    public var description: String {
        switch address {
        case .v4(let v4):
            return String(unsafeUninitializedCapacity: 21) { buffer in
                var end = v4.writeText(into: buffer, at: 0)
                buffer[end] = UInt8(ascii: ":")
                end += 1
                return IPv4Address.writeDecimal(port, into: buffer, at: end)
            }
        case .v6: return "[\(address)]:\(port)"
        }
    }
}
