import Testing
@testable import NetTypes

@Suite struct AddressTests {
    @Test(arguments: [
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8::0001", "2001:db8::1"),
        ("2001:db8::0:1", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:DB8::AAAA", "2001:db8::aaaa"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("fe80::1:2", "fe80::1:2"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ])
    func ipv6CanonicalTextFollowsRFC5952(input: String, canonical: String) throws {
        let address = try IPv6Address(parsing: input)
        #expect(address.description == canonical)
        #expect(try IPv6Address(parsing: canonical) == address)
    }

    @Test(arguments: ["1::2::3", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", ":1", "g::1", "1.2.3.4::", "fe80::1%eth0", ""])
    func invalidIPv6IsATypedError(input: String) {
        #expect(throws: ParseError.self) { try IPv6Address(parsing: input) }
    }

    @Test(arguments: ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "a.b.c.d", "", "1.2.3.4 "])
    func invalidIPv4IsATypedError(input: String) {
        #expect(throws: ParseError.invalidIPv4Address(input)) { try IPv4Address(parsing: input) }
    }

    @Test func ipv4RoundTrips() throws {
        let a = try IPv4Address(parsing: "192.0.2.1")
        #expect(a.value == 0xC000_0201)
        #expect(a.description == "192.0.2.1")
        #expect(a.bytes == [192, 0, 2, 1])
        #expect(IPAddress(bytes: [192, 0, 2, 1]) == .v4(a))
    }

    @Test func classification() throws {
        func addr(_ s: String) throws -> IPAddress { try IPAddress(parsing: s) }
        #expect(try addr("127.0.0.1").isLoopback)
        #expect(try addr("::1").isLoopback)
        #expect(try addr("10.1.2.3").isPrivate)
        #expect(try addr("172.16.0.1").isPrivate)
        #expect(try addr("172.31.255.255").isPrivate)
        #expect(try !addr("172.32.0.1").isPrivate)
        #expect(try addr("192.168.1.1").isPrivate)
        #expect(try addr("100.64.0.1").isPrivate)
        #expect(try addr("100.127.255.255").isPrivate)
        #expect(try !addr("100.128.0.1").isPrivate)
        #expect(try addr("fd00::1").isPrivate)
        #expect(try addr("169.254.1.1").isLinkLocal)
        #expect(try addr("fe80::1").isLinkLocal)
        #expect(try addr("febf::1").isLinkLocal)
        #expect(try !addr("fec0::1").isLinkLocal)
        #expect(try addr("224.0.0.1").isMulticast)
        #expect(try addr("ff02::1").isMulticast)
        #expect(try addr("0.0.0.0").isUnspecified)
        #expect(try addr("::").isUnspecified)
        #expect(try addr("203.0.113.5").isGlobalUnicast)
        #expect(try addr("2001:db8::5").isGlobalUnicast)
        #expect(try !addr("::ffff:10.0.0.1").isGlobalUnicast)
    }

    @Test func prefixes() throws {
        let p = try IPPrefix(parsing: "10.1.2.3/8")
        #expect(p.description == "10.0.0.0/8")
        #expect(p.contains(try IPAddress(parsing: "10.255.0.1")))
        #expect(!p.contains(try IPAddress(parsing: "11.0.0.1")))
        #expect(!p.contains(try IPAddress(parsing: "::1")))
        let v6 = try IPPrefix(parsing: "2001:db8::/32")
        #expect(v6.contains(try IPAddress(parsing: "2001:db8:ffff::1")))
        #expect(!v6.contains(try IPAddress(parsing: "2001:db9::1")))
        let host = try IPPrefix(parsing: "2001:db8::7")
        #expect(host.length == 128)
        #expect(host.contains(try IPAddress(parsing: "2001:db8::7")))
        #expect(!host.contains(try IPAddress(parsing: "2001:db8::8")))
        let long = try IPPrefix(parsing: "2001:db8::ff00/120")
        #expect(long.contains(try IPAddress(parsing: "2001:db8::ffab")))
        #expect(!long.contains(try IPAddress(parsing: "2001:db8::1:ff00")))
        #expect(try IPPrefix(parsing: "0.0.0.0/0").contains(IPAddress(parsing: "1.2.3.4")))
        #expect(throws: ParseError.self) { try IPPrefix(parsing: "10.0.0.0/33") }
        #expect(throws: ParseError.self) { try IPPrefix(parsing: "10.0.0.0/x") }
    }

    @Test func endpoints() throws {
        let e = try Endpoint(parsing: "192.0.2.1:3478")
        #expect(e.port == 3478)
        #expect(e.description == "192.0.2.1:3478")
        for text in ["0.0.0.0:0", "255.255.255.255:65535", "10.0.100.9:80", "1.20.100.0:10009"] {
            #expect(try Endpoint(parsing: text).description == text)
        }
        let e6 = try Endpoint(parsing: "[2001:db8::1]:5349")
        #expect(e6.description == "[2001:db8::1]:5349")
        #expect(throws: ParseError.self) { try Endpoint(parsing: "2001:db8::1:5349") }
        #expect(throws: ParseError.self) { try Endpoint(parsing: "1.2.3.4:70000") }
        #expect(throws: ParseError.self) { try Endpoint(parsing: "1.2.3.4") }
        #expect(throws: ParseError.self) { try Endpoint(parsing: "[::1]5") }
    }
}
