import NetTypes
import Testing
@testable import STUN

@Suite struct ServerTests {
    let a1p1 = try! Endpoint(parsing: "192.0.2.1:3478")
    let a2 = IPAddress.v4(IPv4Address(192, 0, 2, 2))
    let client = try! Endpoint(parsing: "203.0.113.5:40000")
    let id = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)

    func server(credential: STUNShortTermCredential? = nil, alternates: Bool = true) -> STUNServer {
        STUNServer(configuration: STUNServerConfiguration(
            primary: a1p1, alternateAddress: alternates ? a2 : nil, alternatePort: alternates ? 3479 : nil,
            shortTermCredential: credential))
    }

    /// Sends `payload` and returns the single response datagram and its decoding.
    func exchange(
        _ server: inout STUNServer, _ payload: [UInt8], from: Endpoint? = nil, to: Endpoint? = nil
    ) throws -> (Datagram, DecodedSTUNMessage) {
        server.handle(Datagram(source: from ?? client, destination: to ?? a1p1, payload: payload), now: .zero)
        let out = server.drain()
        #expect(out.transmits.count == 1)
        let datagram = try #require(out.transmits.first)
        return (datagram, try DecodedSTUNMessage(decoding: datagram.payload))
    }

    func request(_ attributes: [STUNAttribute] = []) -> STUNMessage {
        STUNMessage(type: .bindingRequest, transactionID: id, attributes: attributes)
    }

    @Test func answersWithXorMappedAddressForIPv4AndIPv6() throws {
        var s = server()
        for from in [client, try Endpoint(parsing: "[2001:db8::77]:61000")] {
            let (datagram, response) = try exchange(&s, request().encoded(authenticator: nil), from: from)
            #expect(response.message.type == .bindingSuccess)
            #expect(response.message.transactionID == id)
            #expect(response.message.attribute(.xorMappedAddress) == .xorMappedAddress(from))
            #expect(datagram.destination == from && datagram.source == a1p1)
            #expect(response.message.responseOrigin == a1p1)
            #expect(response.message.otherAddress == Endpoint(a2, 3479))
            #expect(response.fingerprintCheck == .valid)
        }
        #expect(s.counters.requests == 2 && s.counters.successResponses == 2)
    }

    @Test func shortTermAuthentication() throws {
        let credential = STUNShortTermCredential(username: "alice", password: "s3cret")
        var s = server(credential: credential)
        let good = STUNAuthenticator(key: .shortTerm(password: "s3cret"))
        let bad = STUNAuthenticator(key: .shortTerm(password: "guess"))

        let (_, ok) = try exchange(&s, request([.username("alice")]).encoded(authenticator: good))
        #expect(ok.message.type == .bindingSuccess)
        #expect(ok.checkIntegrity(good) == .valid && ok.fingerprintCheck == .valid)

        let (_, sha256) = try exchange(&s, request([.username("alice")]).encoded(authenticator: good, integrity: .sha256))
        #expect(sha256.messageIntegritySHA256Offset != nil && sha256.checkIntegrity(good) == .valid)

        let (_, missingIntegrity) = try exchange(&s, request([.username("alice")]).encoded(authenticator: nil))
        #expect(missingIntegrity.message.errorCode?.code == 400)
        let (_, missingUser) = try exchange(&s, request().encoded(authenticator: good))
        #expect(missingUser.message.errorCode?.code == 400)
        let (_, wrongKey) = try exchange(&s, request([.username("alice")]).encoded(authenticator: bad))
        #expect(wrongKey.message.errorCode?.code == 401)
        #expect(wrongKey.checkIntegrity(good) == .missing)
        let (_, wrongUser) = try exchange(&s, request([.username("mallory")]).encoded(authenticator: good))
        #expect(wrongUser.message.errorCode?.code == 401)
        #expect(s.counters.errorResponses == 4)
    }

    @Test func unknownComprehensionRequiredAttributesGet420() throws {
        var s = server()
        let unknown = STUNAttributeType(rawValue: 0x7F01)
        let payload = request([.unknown(type: unknown, value: [1]), .unknown(type: STUNAttributeType(rawValue: 0xC000), value: [])])
            .encoded(authenticator: nil)
        let (_, response) = try exchange(&s, payload)
        #expect(response.message.type == .bindingError)
        #expect(response.message.errorCode?.code == 420)
        #expect(response.message.attribute(.unknownAttributes) == .unknownAttributes([unknown]))
    }

    @Test func changeRequestSelectsTheSourceAddress() throws {
        var s = server()
        let cases: [(Bool, Bool, Endpoint)] = [
            (false, false, a1p1), (false, true, Endpoint(a1p1.address, 3479)),
            (true, false, Endpoint(a2, 3478)), (true, true, Endpoint(a2, 3479)),
        ]
        for (ip, port, expected) in cases {
            let (datagram, response) = try exchange(&s, request([.changeRequest(changeIP: ip, changePort: port)]).encoded(authenticator: nil))
            #expect(datagram.source == expected)
            #expect(response.message.responseOrigin == expected)
        }
        // Received on (A2,P2): OTHER-ADDRESS is (A1,P1), change-both answers from (A1,P1).
        let (datagram, response) = try exchange(
            &s, request([.changeRequest(changeIP: true, changePort: true)]).encoded(authenticator: nil), to: Endpoint(a2, 3479))
        #expect(datagram.source == a1p1 && response.message.otherAddress == a1p1)
    }

    @Test func changeRequestWithoutAlternatesGets420() throws {
        var s = server(alternates: false)
        let (_, response) = try exchange(&s, request([.changeRequest(changeIP: true, changePort: false)]).encoded(authenticator: nil))
        #expect(response.message.errorCode?.code == 420)
        #expect(response.message.attribute(.unknownAttributes) == .unknownAttributes([.changeRequest]))
        let (_, plain) = try exchange(&s, request().encoded(authenticator: nil))
        #expect(plain.message.otherAddress == nil)
    }

    @Test func responsePortRedirectsTheResponse() throws {
        var s = server()
        let (datagram, _) = try exchange(&s, request([.responsePort(5555)]).encoded(authenticator: nil))
        #expect(datagram.destination == Endpoint(client.address, 5555))
    }

    @Test func neverAmplifiesUnauthenticatedRequests() throws {
        var s = STUNServer(configuration: STUNServerConfiguration(
            primary: try Endpoint(parsing: "[2001:db8::1]:3478"), alternateAddress: try IPAddress(parsing: "2001:db8::2"),
            alternatePort: 3479, software: String(repeating: "x", count: 100), includeMappedAddress: true))
        var random = RandomMessages(seed: 11)
        let v6client = try Endpoint(parsing: "[2001:db8:ffff::9]:50000")
        var checked = 0
        for i in 0..<2_000 {
            var attributes: [STUNAttribute] = []
            if i % 3 == 0 { attributes.append(.padding(random.bytes(0...200))) }
            if i % 5 == 0 { attributes.append(.changeRequest(changeIP: random.bool(), changePort: random.bool())) }
            if i % 7 == 0 { attributes.append(.unknown(type: STUNAttributeType(rawValue: 0x7000), value: random.bytes(0...3))) }
            let payload = request(attributes).encoded(authenticator: nil, fingerprint: random.bool())
            let to = s.configuration.localEndpoints[i % 4]
            let (datagram, response) = try exchange(&s, payload, from: v6client, to: to)
            #expect(datagram.payload.count <= payload.count + 64)
            #expect(response.message.mappedAddress == v6client || response.message.errorCode != nil)
            checked += 1
        }
        #expect(checked == 2_000)
        // The smallest request still learns its mapped address.
        let (_, minimal) = try exchange(&s, request().encoded(authenticator: nil, fingerprint: false), from: v6client, to: s.configuration.primary)
        #expect(minimal.message.mappedAddress == v6client)
    }

    @Test func garbageIsDroppedAndCounted() throws {
        var s = server()
        let good = request().encoded(authenticator: nil)
        var badFingerprint = good
        badFingerprint[badFingerprint.count - 1] ^= 0xFF
        let inputs: [([UInt8], Endpoint, STUNServerDropReason)] = [
            ([0x80, 1, 2, 3], a1p1, .notSTUN), ([], a1p1, .notSTUN), ([0, 1, 0, 0, 1], a1p1, .malformed),
            (badFingerprint, a1p1, .badFingerprint),
            (STUNMessage(type: .bindingIndication, transactionID: id).encoded(), a1p1, .notARequest),
            (good, try Endpoint(parsing: "192.0.2.99:3478"), .unknownLocalEndpoint),
        ]
        for (payload, to, _) in inputs {
            s.handle(Datagram(source: client, destination: to, payload: payload), now: .zero)
        }
        #expect(s.drain().transmits.isEmpty)
        var expected: [STUNServerDropReason: Int] = [:]
        for (_, _, reason) in inputs { expected[reason, default: 0] += 1 }
        #expect(s.counters.dropped == expected)
        #expect(s.counters.requests == 0)
    }
}
