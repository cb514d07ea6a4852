/// An IPv4 or IPv6 address.
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses IPv4 dotted-quad or IPv6 text (brackets around IPv6 are accepted).
    public init(parsing text: some StringProtocol) throws(ParseError) {
        var s = Substring(text)
        if s.hasPrefix("[") && s.hasSuffix("]") { s = s.dropFirst().dropLast() }
        if s.contains(":") {
            self = .v6(try IPv6Address(parsing: s))
        } else {
            self = .v4(try IPv4Address(parsing: s))
        }
    }

    /// The address family.
    public var family: AddressFamily {
        switch self { case .v4: return .ipv4; case .v6: return .ipv6 }
    }

    /// The address bytes in network order (4 or 16).
    public var bytes: [UInt8] {
        switch self { case .v4(let a): return a.bytes; case .v6(let a): return a.bytes }
    }

    /// Builds an address from 4 or 16 network-order bytes.
    public init?(bytes: some Collection<UInt8>) {
        if bytes.count == 4 {
            var v: UInt32 = 0
            for b in bytes { v = v << 8 | UInt32(b) }
            self = .v4(IPv4Address(v))
        } else if let v6 = IPv6Address(bytes: bytes) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self { case .v4(let a): return a.description; case .v6(let a): return a.description }
    }

    /// One word for IPv4, two for IPv6 (the synthesised hash also feeds the case): keys of
    /// the simulator's and the cores' per-packet tables.
    @inlinable public func hash(into hasher: inout Hasher) {
        switch self {
        case .v4(let a): hasher.combine(UInt64(a.value))
        case .v6(let a): hasher.combine(a.high); hasher.combine(a.low)
        }
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        switch (a, b) {
        case (.v4(let x), .v4(let y)): return x < y
        case (.v6(let x), .v6(let y)): return x < y
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        }
    }

    // MARK: Classification (RFC 6890 special-purpose registries)

    /// 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        switch self {
        case .v4(let a): return a.value >> 24 == 127
        case .v6(let a): return a == .loopback || (a.ipv4Mapped.map { IPAddress.v4($0).isLoopback } ?? false)
        }
    }

    /// 0.0.0.0 or ::.
    public var isUnspecified: Bool {
        switch self {
        case .v4(let a): return a.value == 0
        case .v6(let a): return a == .any
        }
    }

    /// 169.254.0.0/16 or fe80::/10.
    public var isLinkLocal: Bool {
        switch self {
        case .v4(let a): return a.value >> 16 == 0xA9FE
        case .v6(let a): return a.high >> 54 == 0x3FA
        }
    }

    /// 224.0.0.0/4 or ff00::/8.
    public var isMulticast: Bool {
        switch self {
        case .v4(let a): return a.value >> 28 == 0xE
        case .v6(let a): return a.high >> 56 == 0xFF
        }
    }

    /// Private-use space: RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space of
    /// carrier-grade NAT (100.64/10, RFC 6598), and IPv6 unique local addresses (fc00::/7).
    public var isPrivate: Bool {
        switch self {
        case .v4(let a):
            let v = a.value
            return v >> 24 == 10 || v >> 20 == 0xAC1 || v >> 16 == 0xC0A8 || v >> 22 == (100 << 2 | 1)
        case .v6(let a):
            if let v4 = a.ipv4Mapped { return IPAddress.v4(v4).isPrivate }
            return a.high >> 57 == 0x7E
        }
    }

    /// 255.255.255.255 (limited broadcast).
    public var isBroadcast: Bool {
        if case .v4(let a) = self { return a.value == 0xFFFF_FFFF }
        return false
    }

    /// Globally routable unicast: none of the special classes above.
    public var isGlobalUnicast: Bool {
        !(isLoopback || isUnspecified || isLinkLocal || isMulticast || isPrivate || isBroadcast)
    }
}

/// IPv4 or IPv6.
public enum AddressFamily: String, Hashable, Sendable, CaseIterable {
    case ipv4, ipv6
}
