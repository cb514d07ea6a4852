import NetTypes

/// Hands out host addresses from a list of prefixes, in order: the networks a
/// `Topology` numbers its hosts and NAT external addresses from.
final class AddressPool {
    private let prefixes: [IPPrefix]
    private let firstHost: UInt64
    private var prefixIndex = 0
    /// The host number within the current prefix handed out next.
    private var nextHost: UInt64

    /// A pool over `prefixes`; host numbers start at `firstHost` in each (1 skips the
    /// network address; 2 also leaves .1 to the gateway).
    init(_ prefixes: [IPPrefix], firstHost: UInt64 = 1) {
        self.prefixes = prefixes
        self.firstHost = firstHost
        self.nextHost = firstHost
    }

    /// The next unused address with the length of the prefix it came from, or nil when
    /// every prefix is used up.
    func next() -> InterfaceAddress? {
        while prefixIndex < prefixes.count {
            let prefix = prefixes[prefixIndex]
            if nextHost < Self.hostLimit(prefix) {
                defer { nextHost += 1 }
                return InterfaceAddress(Self.address(prefix.address, plus: nextHost), prefixLength: prefix.length)
            }
            prefixIndex += 1
            nextHost = firstHost
        }
        return nil
    }

    /// Host numbers below this are usable: IPv4 keeps the broadcast address free.
    private static func hostLimit(_ prefix: IPPrefix) -> UInt64 {
        let hostBits = (prefix.address.family == .ipv4 ? 32 : 128) - prefix.length
        return hostBits >= 63 ? .max : (1 << UInt64(hostBits)) - (prefix.address.family == .ipv4 ? 1 : 0)
    }

    private static func address(_ base: IPAddress, plus offset: UInt64) -> IPAddress {
        switch base {
        case .v4(let a): return .v4(IPv4Address(a.value + UInt32(offset)))
        case .v6(let a): return .v6(IPv6Address(high: a.high, low: a.low + offset))
        }
    }
}
