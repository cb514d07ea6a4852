import Testing
@testable import NetTypes

/// RFC 6052 IPv4-embedded IPv6 addresses (`NAT64Prefix`).
@Suite struct NAT64PrefixTests {
    /// RFC 6052 §2.4: 192.0.2.33 embedded in each prefix length.
    @Test(arguments: [
        ("2001:db8::/32", "2001:db8:c000:221::"),
        ("2001:db8:100::/40", "2001:db8:1c0:2:21::"),
        ("2001:db8:122::/48", "2001:db8:122:c000:2:2100::"),
        ("2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"),
        ("2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"),
        ("2001:db8:122:344::/96", "2001:db8:122:344::c000:221"),
        ("64:ff9b::/96", "64:ff9b::c000:221"),
    ])
    func rfc6052Examples(prefix: String, expected: String) throws {
        let nat64 = try NAT64Prefix(try IPPrefix(parsing: prefix))
        let ipv4 = try IPv4Address(parsing: "192.0.2.33")
        let embedded = nat64.embed(ipv4)
        #expect(embedded == (try IPv6Address(parsing: expected)))
        #expect(nat64.extract(.v6(embedded)) == ipv4)
    }

    @Test func theWellKnownPrefixIs64ff9b() throws {
        #expect(NAT64Prefix.wellKnown.prefix == (try IPPrefix(parsing: "64:ff9b::/96")))
        #expect(NAT64Prefix.wellKnown.embed(try IPv4Address(parsing: "203.0.113.7")).description == "64:ff9b::cb00:7107")
    }

    @Test func addressesOutsideThePrefixEmbedNothing() throws {
        let nat64 = NAT64Prefix.wellKnown
        #expect(nat64.extract(try IPAddress(parsing: "2001:db8::1")) == nil)
        #expect(nat64.extract(try IPAddress(parsing: "64:ff9b:1::c000:221")) == nil)
        #expect(nat64.extract(try IPAddress(parsing: "192.0.2.33")) == nil)
    }

    @Test func prefixesRFC6052ForbidsAreRejected() throws {
        #expect(throws: NAT64Prefix.Invalid.length(80)) { try NAT64Prefix(try IPPrefix(parsing: "2001:db8::/80")) }
        #expect(throws: NAT64Prefix.Invalid.notIPv6) { try NAT64Prefix(try IPPrefix(parsing: "192.0.2.0/24")) }
        #expect(throws: NAT64Prefix.Invalid.nonZeroUOctet) { try NAT64Prefix(try IPPrefix(parsing: "2001:db8:0:0:100::/96")) }
    }
}
