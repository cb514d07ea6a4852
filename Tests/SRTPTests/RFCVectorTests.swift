@testable import SRTP
import Testing

/// The test vectors of RFC 3711 Appendix B and RFC 7714 §16-§17, and libsrtp's known
/// AES-CM packet.
@Suite struct RFCVectorTests {
    static let b3MasterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139")
    static let b3MasterSalt = hex("0EC675AD498AFEEBB6960B3AABE6")

    /// RFC 3711 B.2: with session key 2B7E…, session salt F0F1…FCFD, SSRC 0 and index 0,
    /// a zero payload encrypts to the AES-CM keystream.
    @Test func b2AESCounterModeKeystream() throws {
        let keys = SRTPSessionKeys(encryptionKey: hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                                   authenticationKey: [UInt8](repeating: 0, count: 20),
                                   salt: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"))
        let sender = try SRTPSender(transforms: SRTPTransforms(profile: .aes128CmHmacSha1_80, rtpKeys: keys, rtcpKeys: keys, sealing: true))
        var packet: [UInt8] = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 48)
        try sender.protectRTP(&packet)
        #expect(Array(packet[12..<60]).hex == ("e03ead0935c95e80e166b16dd92b4eb4" + "d23513162b02d0f72a43a2fe4a5f97ab"
            + "41e95b3bb0a2e8dd477901e4fca894c0"))
    }

    /// RFC 3711 B.3: the SRTP session keys of master key E1F9… and salt 0EC6… (the
    /// authentication key's first 20 of the 94 bytes listed).
    @Test func b3KeyDerivation() throws {
        let master = try SRTPMasterKey(profile: .aes128CmHmacSha1_80, key: Self.b3MasterKey, salt: Self.b3MasterSalt)
        let keys = try SRTPSessionKeys(deriving: .rtp, from: master)
        #expect(keys.encryptionKey.hex == "c61e7a93744f39ee10734afe3ff7a087")
        #expect(keys.salt.hex == "30cbbc08863d8c85d49db34a9ae1")
        #expect(keys.authenticationKey.hex == "cebe321f6ff7716b6fd4ab49af256a156d38baa4")
    }

    /// libsrtp's AES_CM_128_HMAC_SHA1_80 packet (its srtp_driver test) under the B.3
    /// master key: key derivation, keystream and tag together, and back.
    @Test func aesCMKnownPacket() throws {
        let master = try SRTPMasterKey(profile: .aes128CmHmacSha1_80, key: Self.b3MasterKey, salt: Self.b3MasterSalt)
        let plain = hex("800f1234decafbadcafebabe") + [UInt8](repeating: 0xAB, count: 16)
        let protected = try SRTPSender(masterKey: master).protectRTP(plain)
        #expect(protected.hex == "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb")
        #expect(try SRTPReceiver(masterKey: master).unprotectRTP(protected) == plain)
    }

    static let gcmKeys = SRTPSessionKeys(encryptionKey: hex("000102030405060708090a0b0c0d0e0f"), authenticationKey: [],
                                         salt: hex("517569642070726f2071756f"))
    static let gcmRTP = hex("8040f17b8041f8d35501a0b2 47616c6c696120657374206f6d6e697320646976697361 20696e207061727465732074726573")
    static let gcmSRTP = hex("""
        8040f17b8041f8d35501a0b2 f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833
        899d7f27beb16a9152cf765ee4390cce
        """)

    /// RFC 7714 §16.1.1: AEAD_AES_128_GCM SRTP with the session key and salt given, ROC 0,
    /// sequence number 0xf17b; and the decryption of it (§16.1.2).
    @Test func rfc7714SRTP() throws {
        let sender = try SRTPSender(transforms: SRTPTransforms(profile: .aeadAes128Gcm, rtpKeys: Self.gcmKeys, rtcpKeys: Self.gcmKeys, sealing: true))
        #expect(try sender.protectRTP(Self.gcmRTP).hex == Self.gcmSRTP.hex)
        let receiver = try SRTPReceiver(transforms: SRTPTransforms(profile: .aeadAes128Gcm, rtpKeys: Self.gcmKeys, rtcpKeys: Self.gcmKeys, sealing: false))
        #expect(try receiver.unprotectRTP(Self.gcmSRTP) == Self.gcmRTP)
    }

    /// RFC 7714 §17.1.1: AEAD_AES_128_GCM SRTCP of a sender report, SRTCP index 0x5d4,
    /// E-bit set: header, ciphertext, tag, then the E-bit and index word (§9.1).
    @Test func rfc7714SRTCP() throws {
        let rtcp = hex("81c8000d4d617273 4e5450314e545032 525450200000042a 0000e9304c756e61 deadbeefdeadbeefdeadbeefdeadbeefdeadbeef")
        let srtcp = hex("""
            81c8000d4d617273 63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b
            c84aa45896cf4d2fc5abf87245d9eade 800005d4
            """)
        let sealer = try SRTPTransform(profile: .aeadAes128Gcm, keys: Self.gcmKeys, sealing: true)
        var packet = rtcp + [UInt8](repeating: 0, count: SRTPProfile.aeadAes128Gcm.rtcpOverhead)
        let sealed = packet.withUnsafeMutableBufferPointer {
            sealer.sealRTCP($0, length: rtcp.count, ssrc: 0x4d61_7273, index: 0x5d4, encrypt: true)
        }
        #expect(sealed)
        #expect(packet.hex == srtcp.hex)
        let receiver = try SRTPReceiver(transforms: SRTPTransforms(profile: .aeadAes128Gcm, rtpKeys: Self.gcmKeys, rtcpKeys: Self.gcmKeys, sealing: false))
        #expect(try receiver.unprotectRTCP(srtcp) == rtcp)
    }
}
