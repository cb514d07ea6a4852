import NetTypes
import SDP
import Testing

@Suite struct ICECandidateTests {
    @Test func parsesWithAndWithoutPrefix() throws {
        let text = "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host generation 0"
        let a = try ICECandidate(parsing: text)
        let b = try ICECandidate(parsing: text.dropFirst("candidate:".count))
        #expect(a == b)
        #expect(a.description == text)
        #expect(a.attributeValue == String(text.dropFirst("candidate:".count)))
        #expect(a.endpoint == Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 54400))
        #expect(a.component == 1 && a.transport == .udp && a.type == .host && a.generation == 0)
    }

    @Test func parsesEveryOption() throws {
        let text = "candidate:a+b/9 2 TCP 4294967295 2001:db8::7 443 typ relay raddr 198.51.100.1 rport 3478 "
            + "tcptype passive generation 3 ufrag EsAw network-id 4 network-cost 900 x-custom 12 other v"
        let c = try ICECandidate(parsing: text)
        #expect(c.foundation == "a+b/9")
        #expect(c.component == 2)
        #expect(c.transport == .tcp)
        #expect(c.priority == UInt32.max)
        #expect(c.address == .ip(.v6(try IPv6Address(parsing: "2001:db8::7"))))
        #expect(c.endpoint?.description == "[2001:db8::7]:443")
        #expect(c.type == .relay)
        #expect(c.relatedEndpoint == Endpoint(.v4(IPv4Address(198, 51, 100, 1)), 3478))
        #expect(c.tcpType == .passive)
        #expect(c.generation == 3)
        #expect(c.usernameFragment == "EsAw")
        #expect(c.networkID == 4)
        #expect(c.networkCost == 900)
        #expect(c.extensions == [CandidateExtension(name: "x-custom", value: "12"), CandidateExtension(name: "other", value: "v")])
        #expect(try ICECandidate(parsing: c.description) == c)
        #expect(c.description == text.replacingOccurrences(of: "TCP", with: "tcp"))
    }

    @Test(arguments: CandidateType.allCases)
    func everyTypeRoundTrips(type: CandidateType) throws {
        let c = ICECandidate(foundation: "7", priority: 100, address: .hostname("host-1.example.local"), port: 1, type: type)
        #expect(try ICECandidate(parsing: c.description) == c)
        #expect(c.address.isMulticastDNSName)
    }

    @Test(arguments: TCPCandidateType.allCases)
    func everyTCPTypeRoundTrips(tcpType: TCPCandidateType) throws {
        let c = ICECandidate(foundation: "7", transport: .tcp, priority: 1, address: .ip(.v4(.loopback)), port: 9,
                             type: .host, tcpType: tcpType)
        #expect(try ICECandidate(parsing: c.attributeValue) == c)
    }

    @Test(arguments: [
        ("", "expected"),
        ("candidate:1 1 udp 1 192.0.2.1 5 host", "expected"),
        ("1 1 udp 1 192.0.2.1 5 typ", "expected"),
        ("1 1 sctp 1 192.0.2.1 5 typ host", "neither UDP nor TCP"),
        ("1 0 udp 1 192.0.2.1 5 typ host", "component"),
        ("1 1000 udp 1 192.0.2.1 5 typ host", "component"),
        ("1 1 udp 4294967296 192.0.2.1 5 typ host", "priority"),
        ("1 1 udp -1 192.0.2.1 5 typ host", "priority"),
        ("1 1 udp 1 192.0.2.1 65536 typ host", "port"),
        ("1 1 udp 1 bad@host 5 typ host", "not an IP address"),
        ("1 1 udp 1 192.0.2.1 5 typ nat", "candidate type"),
        ("f!o 1 udp 1 192.0.2.1 5 typ host", "foundation"),
        ("123456789012345678901234567890123 1 udp 1 192.0.2.1 5 typ host", "foundation"),
        ("1 1 udp 1 192.0.2.1 5 typ host generation", "has no value"),
        ("1 1 udp 1 192.0.2.1 5 typ host generation x", "generation must be a number"),
        ("1 1 udp 1 192.0.2.1 5 typ srflx raddr ::g rport 1", "raddr"),
        ("1 1 udp 1 192.0.2.1 5 typ srflx raddr 1.2.3.4 rport 70000", "rport"),
        ("1 1 tcp 1 192.0.2.1 5 typ host tcptype both", "tcptype"),
    ])
    func badCandidatesAreTypedErrors(text: String, message: String) {
        do throws(SDPParseError) {
            _ = try ICECandidate(parsing: text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.line == nil)
            guard case .badAttribute(let name, _, _) = error.reason else {
                Issue.record("\(error)")
                return
            }
            #expect(name == "candidate")
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
