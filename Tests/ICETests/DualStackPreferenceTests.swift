import NetTypes
import Testing
@testable import ICE

/// RFC 8421 §4 candidate ordering for dual-stack hosts, with RFC 6724 §2.1's policy
/// table deciding which IPv6 addresses rank below IPv4.
@Suite struct DualStackPreferenceTests {
    static func ip(_ text: String) -> IPAddress { try! IPAddress(parsing: text) }

    static func order(_ addresses: [String]) -> [String] {
        LocalPreference.assign(addresses.map(ip)).sorted { $0.value > $1.value }.map(\.key.description)
    }

    @Test func ipv6GetsItsHeadStartThenTheFamiliesAlternate() {
        // RFC 8421 §4's example: two IPv4 and six IPv6 addresses, Hi = 8 / 2 = 4 IPv6
        // addresses before the first IPv4 one; then the families alternate.
        let six = (1...6).map { "2001:db8::\($0)" }
        #expect(Self.order(six + ["192.0.2.1", "198.51.100.1"])
                == Array(six.prefix(4)) + ["192.0.2.1", "2001:db8::5", "198.51.100.1", "2001:db8::6"])
        // Three IPv6 and two IPv4: Hi = 5 / 2, two IPv6 first.
        #expect(Self.order(["2001:db8::1", "2001:db8::2", "2001:db8::3", "192.0.2.1", "198.51.100.1"])
                == ["2001:db8::1", "2001:db8::2", "192.0.2.1", "2001:db8::3", "198.51.100.1"])
        // One IPv6 and three IPv4: Hi = 4 / 3, the IPv6 address leads, the IPv4 ones trail.
        #expect(Self.order(["192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1"])
                == ["2001:db8::1", "192.0.2.1", "198.51.100.1", "203.0.113.1"])
        // One of each, the common dual-stack host: IPv6 first.
        #expect(Self.order(["192.0.2.1", "2001:db8::1"]) == ["2001:db8::1", "192.0.2.1"])
    }

    @Test func transitionAndLocalIPv6AddressesRankBelowIPv4() {
        // Teredo (precedence 5), 6to4 (30), unique local (3) and site-local (1) follow
        // every IPv4 address, by precedence; native IPv6 still leads.
        let order = Self.order(["2001::1", "fd00::1", "2002:c000:201::1", "fec0::1", "192.0.2.1", "2001:db8::1"])
        #expect(order == ["2001:db8::1", "192.0.2.1", "2002:c000:201::1", "2001::1", "fd00::1", "fec0::1"])
    }

    @Test func preferencesAreDistinctAndStartAtTheHighest() {
        let prefs = LocalPreference.assign(["2001::1", "fd00::1", "192.0.2.1", "2001:db8::1"].map(Self.ip))
        #expect(Set(prefs.values).count == 4)
        #expect(prefs[Self.ip("2001:db8::1")] == LocalPreference.highest)
    }

    @Test func policyTablePrecedences() {
        #expect(LocalPreference.precedence(of: Self.ip("2001:db8::1")) == 40)
        #expect(LocalPreference.precedence(of: Self.ip("192.0.2.1")) == 35)
        #expect(LocalPreference.precedence(of: Self.ip("2002::1")) == 30)
        #expect(LocalPreference.precedence(of: Self.ip("2001:0::1")) == 5)
        #expect(LocalPreference.precedence(of: Self.ip("fc00::1")) == 3)
        #expect(LocalPreference.precedence(of: Self.ip("::1")) == 50)
    }
}
