import NetTypes
import Testing
@testable import STUN

/// RFC 5769: every sample parses, verifies, and is rebuilt byte for byte by the encoder.
/// The samples pad with 0x20 (§2.1-2.3) or 0x00 (§2.4); the encoder's `paddingByte`
/// reproduces either exactly.
@Suite struct RFC5769Tests {
    let shortTerm = STUNAuthenticator(key: .shortTerm(password: RFC5769.password))
    let id = STUNTransactionID(bytes: RFC5769.transactionID)!

    @Test func sampleRequest() throws {
        let decoded = try DecodedSTUNMessage(decoding: RFC5769.request)
        #expect(decoded.message.type == .bindingRequest)
        #expect(decoded.message.transactionID == id)
        #expect(Array(decoded.message.attributes.prefix(4)) == [
            .software("STUN test client"), .priority(0x6e00_01ff), .iceControlled(0x932f_f9b1_5126_3b36),
            .username("evtj:h6vY"),
        ])
        #expect(decoded.checkIntegrity(shortTerm) == .valid)
        #expect(decoded.fingerprintCheck == .valid)
        let rebuilt = STUNMessage(type: .bindingRequest, transactionID: id, attributes: Array(decoded.message.attributes.prefix(4)))
        #expect(rebuilt.encoded(authenticator: shortTerm, paddingByte: 0x20) == RFC5769.request)
        #expect(decoded.message.encoded(paddingByte: 0x20) == RFC5769.request)
    }

    @Test func sampleIPv4Response() throws {
        try checkResponse(RFC5769.ipv4Response, mapped: Endpoint(parsing: "192.0.2.1:32853"))
    }

    @Test func sampleIPv6Response() throws {
        try checkResponse(RFC5769.ipv6Response, mapped: Endpoint(parsing: "[2001:db8:1234:5678:11:2233:4455:6677]:32853"))
    }

    private func checkResponse(_ bytes: [UInt8], mapped: Endpoint) throws {
        let decoded = try DecodedSTUNMessage(decoding: bytes)
        #expect(decoded.message.type == .bindingSuccess)
        #expect(decoded.message.mappedAddress == mapped)
        #expect(decoded.checkIntegrity(shortTerm) == .valid)
        #expect(decoded.fingerprintCheck == .valid)
        let rebuilt = STUNMessage(type: .bindingSuccess, transactionID: id, attributes: [.software("test vector"), .xorMappedAddress(mapped)])
        #expect(rebuilt.encoded(authenticator: shortTerm, paddingByte: 0x20) == bytes)
    }

    @Test func sampleRequestWithLongTermAuthentication() throws {
        let decoded = try DecodedSTUNMessage(decoding: RFC5769.longTermRequest)
        let attributes: [STUNAttribute] = [.username(RFC5769.longTermUsername), .nonce(RFC5769.nonce), .realm(RFC5769.realm)]
        #expect(Array(decoded.message.attributes.prefix(3)) == attributes)
        let key = try #require(STUNKey.longTerm(username: RFC5769.longTermUsername, realm: RFC5769.realm, password: RFC5769.longTermPassword))
        let authenticator = STUNAuthenticator(key: key)
        #expect(decoded.checkIntegrity(authenticator) == .valid)
        #expect(decoded.fingerprintCheck == .missing)
        let rebuilt = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(bytes: RFC5769.longTermTransactionID)!, attributes: attributes)
        #expect(rebuilt.encoded(authenticator: authenticator, fingerprint: false) == RFC5769.longTermRequest)
    }

    @Test func wrongPasswordAndTamperingAreDetected() throws {
        let wrong = STUNAuthenticator(key: .shortTerm(password: "wrong"))
        #expect(try DecodedSTUNMessage(decoding: RFC5769.request).checkIntegrity(wrong) == .invalid)
        var tampered = RFC5769.request
        tampered[30] ^= 1 // inside SOFTWARE
        let decoded = try DecodedSTUNMessage(decoding: tampered)
        #expect(decoded.checkIntegrity(shortTerm) == .invalid)
        #expect(decoded.fingerprintCheck == .invalid)
    }

    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }
}
