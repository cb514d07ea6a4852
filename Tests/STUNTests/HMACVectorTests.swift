import Testing
import TestSupport
@testable import STUN

/// `STUNAuthenticator`'s HMAC against the published vectors: RFC 2202 for HMAC-SHA1 and
/// RFC 4231 for HMAC-SHA256, including keys longer than the hash block (hashed first) and
/// a key shorter than the output.
@Suite struct HMACVectorTests {
    private func mac(key: [UInt8], data: [UInt8], _ algorithm: STUNIntegrityAlgorithm) -> [UInt8] {
        STUNAuthenticator(key: STUNKey(bytes: key)).mac(of: data, algorithm: algorithm)
    }

    @Test func rfc2202SHA1() {
        #expect(mac(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8), .sha1)
            == [UInt8](hex: "b617318655057264e28bc0b6fb378c8ef146be00"))
        #expect(mac(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8), .sha1)
            == [UInt8](hex: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"))
        #expect(mac(key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50), .sha1)
            == [UInt8](hex: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"))
        // Test case 6: an 80-byte key, longer than SHA-1's 64-byte block.
        #expect(mac(key: [UInt8](repeating: 0xaa, count: 80),
                    data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8), .sha1)
            == [UInt8](hex: "aa4ae5e15272d00e95705637ce8a3b55ed402112"))
    }

    @Test func rfc4231SHA256() {
        #expect(mac(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8), .sha256)
            == [UInt8](hex: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
        #expect(mac(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8), .sha256)
            == [UInt8](hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        // Test case 6: a 131-byte key, longer than SHA-256's 64-byte block.
        #expect(mac(key: [UInt8](repeating: 0xaa, count: 131),
                    data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8), .sha256)
            == [UInt8](hex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    }

    @Test func oneAuthenticatorServesBothAlgorithmsRepeatedly() {
        let authenticator = STUNAuthenticator(key: STUNKey(bytes: Array("Jefe".utf8)))
        let data = Array("what do ya want for nothing?".utf8)
        for _ in 0..<3 {
            #expect(authenticator.mac(of: data, algorithm: .sha1) == [UInt8](hex: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"))
            #expect(authenticator.mac(of: data, algorithm: .sha256)
                == [UInt8](hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        }
    }

    @Test func longTermKeys() {
        // MD5 and SHA-256 of "user:realm:pass", computed independently (md5sum, sha256sum).
        #expect(STUNKey.longTerm(username: "user", realm: "realm", password: "pass")?.bytes
            == [UInt8](hex: "8493fbc53ba582fb4c044c456bdc40eb"))
        #expect(STUNKey.longTerm(username: "user", realm: "realm", password: "pass", algorithm: .sha256)?.bytes
            == [UInt8](hex: "07e934117abd40836e7c6329b54731b2b2d2a5f9a71f544922d75e0730d8251b"))
    }
}
