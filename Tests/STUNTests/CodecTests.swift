import NetTypes
import Testing
@testable import STUN

@Suite struct CodecTests {
    @Test func messageTypeInterleavesMethodAndClass() {
        #expect(STUNMessageType.bindingRequest.rawValue == 0x0001)
        #expect(STUNMessageType.bindingSuccess.rawValue == 0x0101)
        #expect(STUNMessageType.bindingError.rawValue == 0x0111)
        #expect(STUNMessageType.bindingIndication.rawValue == 0x0011)
        #expect(STUNMessageType(method: .allocate, class: .request).rawValue == 0x0003)
        #expect(STUNMessageType(method: .data, class: .indication).rawValue == 0x0017)
        #expect(STUNMessageType(method: .channelBind, class: .errorResponse).rawValue == 0x0119)
        for raw in UInt16(0)...0x3FFF {
            #expect(STUNMessageType(rawValue: raw)!.rawValue == raw)
        }
        #expect(STUNMessageType(rawValue: 0x4001) == nil)
    }

    @Test func decodeOfEncodeIsIdentityForRandomMessages() throws {
        var random = RandomMessages(seed: 2024)
        for _ in 0..<20_000 {
            let message = random.message()
            let bytes = message.encoded(paddingByte: UInt8(truncatingIfNeeded: random.rng.next()))
            #expect(bytes.count % 4 == 0)
            #expect(try STUNMessage(decoding: bytes) == message)
        }
    }

    @Test func signedMessagesVerifyAndRoundTrip() throws {
        var random = RandomMessages(seed: 7)
        let authenticator = STUNAuthenticator(key: .shortTerm(password: "s3cret"))
        let other = STUNAuthenticator(key: .shortTerm(password: "other"))
        for i in 0..<2_000 {
            var message = random.message()
            message.attributes.removeAll { [.messageIntegrity, .messageIntegritySHA256, .fingerprint].contains($0.type) }
            let algorithm: STUNIntegrityAlgorithm = i % 2 == 0 ? .sha1 : .sha256
            let bytes = message.encoded(authenticator: authenticator, integrity: algorithm)
            let decoded = try DecodedSTUNMessage(decoding: bytes)
            #expect(decoded.checkIntegrity(authenticator) == .valid)
            #expect(decoded.checkIntegrity(other) == .invalid)
            #expect(decoded.fingerprintCheck == .valid)
            #expect(Array(decoded.message.attributes.dropLast(2)) == message.attributes)
        }
    }

    @Test func unknownAttributesAreKeptAndComprehensionRequiredOnesListed() throws {
        let message = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 1, low: 2), attributes: [
            .unknown(type: STUNAttributeType(rawValue: 0x7777), value: [1, 2, 3]),
            .unknown(type: STUNAttributeType(rawValue: 0xC001), value: []),
            .software("x"),
        ])
        let decoded = try STUNMessage(decoding: message.encoded())
        #expect(decoded == message)
        #expect(decoded.unknownComprehensionRequired == [STUNAttributeType(rawValue: 0x7777)])
    }

    @Test func longTermKeysFollowRFC8489() throws {
        let md5 = try #require(STUNKey.longTerm(username: "user", realm: "realm", password: "pass"))
        #expect(md5.bytes.count == 16)
        // MD5("user:realm:pass")
        #expect(md5.bytes == [0x84, 0x93, 0xfb, 0xc5, 0x3b, 0xa5, 0x82, 0xfb, 0x4c, 0x04, 0x4c, 0x45, 0x6b, 0xdc, 0x40, 0xeb])
        let sha = try #require(STUNKey.longTerm(username: "user", realm: "realm", password: "pass", algorithm: .sha256))
        #expect(sha.bytes.count == 32)
        #expect(STUNKey.longTerm(username: "u", realm: "r", password: "p", algorithm: STUNPasswordAlgorithm(number: 9)) == nil)
    }

    @Test func framingHelpers() throws {
        let bytes = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 0, low: 0), attributes: [.software("abc")]).encoded()
        #expect(STUNMessage.looksLikeSTUN(bytes))
        #expect(STUNMessage.frameLength(of: bytes + [9, 9, 9]) == bytes.count)
        #expect(STUNMessage.frameLength(of: Array(bytes.prefix(19))) == nil)
        #expect(!STUNMessage.looksLikeSTUN([0x80] + Array(bytes.dropFirst())))
    }
}
