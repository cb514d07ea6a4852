@testable import SRTP
import Testing

/// Profiles, the DTLS-SRTP key split and configuration checks.
@Suite struct KeyingTests {
    @Test func profilesCarryTheirIdsAndLengths() {
        #expect(SRTPProfile(id: 0x0001) == .aes128CmHmacSha1_80)
        #expect(SRTPProfile(id: 0x0007) == .aeadAes128Gcm)
        #expect(SRTPProfile(id: 0x0002) == nil)
        let cm = SRTPProfile.aes128CmHmacSha1_80, gcm = SRTPProfile.aeadAes128Gcm
        #expect([cm.keyLength, cm.saltLength, cm.authenticationKeyLength, cm.rtpTagLength, cm.rtcpTagLength] == [16, 14, 20, 10, 10])
        #expect([gcm.keyLength, gcm.saltLength, gcm.authenticationKeyLength, gcm.rtpTagLength, gcm.rtcpTagLength] == [16, 12, 0, 16, 16])
        #expect(SRTPKeyingMaterial.length(for: cm) == 60 && SRTPKeyingMaterial.length(for: gcm) == 56)
        // The names OpenSSL's SSL_CTX_set_tlsext_use_srtp takes.
        #expect(cm.name == "SRTP_AES128_CM_SHA1_80" && gcm.name == "SRTP_AEAD_AES_128_GCM")
    }

    /// RFC 5764 §4.2: client key, server key, client salt, server salt; each side sends
    /// with its own and receives with the other's.
    @Test(arguments: SRTPProfile.allCases) func exportedMaterialSplitsByRole(profile: SRTPProfile) throws {
        let k = profile.keyLength, s = profile.saltLength
        let exported = (0..<UInt8(SRTPKeyingMaterial.length(for: profile))).map { $0 }
        let client = try SRTPKeyingMaterial(exported: exported, profile: profile, role: .client)
        let server = try SRTPKeyingMaterial(exported: exported, profile: profile, role: .server)
        #expect(client.local.key == Array(exported[0..<k]))
        #expect(client.remote.key == Array(exported[k..<2 * k]))
        #expect(client.local.salt == Array(exported[2 * k..<2 * k + s]))
        #expect(client.remote.salt == Array(exported[(2 * k + s)...]))
        #expect(client.local == server.remote && client.remote == server.local)

        // A client's packets unprotect at the server.
        let packet = Fixtures.rtp(sequence: 1)
        let protected = try SRTPSender(masterKey: client.local).protectRTP(packet)
        #expect(try SRTPReceiver(masterKey: server.remote).unprotectRTP(protected) == packet)
        #expect(throws: SRTPError.authenticationFailed) { try SRTPReceiver(masterKey: client.remote).unprotectRTP(protected) }
    }

    @Test func wrongLengthsAreRefused() throws {
        #expect(throws: SRTPError.keyingMaterialLength(expected: 60, actual: 56)) {
            try SRTPKeyingMaterial(exported: [UInt8](repeating: 0, count: 56), profile: .aes128CmHmacSha1_80, role: .client)
        }
        #expect(throws: SRTPError.self) { try SRTPMasterKey(profile: .aeadAes128Gcm, key: [UInt8](repeating: 0, count: 16), salt: [UInt8](repeating: 0, count: 14)) }
        #expect(throws: SRTPError.self) { try SRTPMasterKey(profile: .aes128CmHmacSha1_80, key: [UInt8](repeating: 0, count: 15), salt: [UInt8](repeating: 0, count: 14)) }
        let key = try Fixtures.masterKey(.aes128CmHmacSha1_80)
        for bad in [SRTPConfiguration(replayWindowSize: 32), SRTPConfiguration(replayWindowSize: 100), SRTPConfiguration(replayWindowSize: 65_536),
                    SRTPConfiguration(maximumSSRCs: 0)] {
            #expect(throws: SRTPError.self) { try SRTPReceiver(masterKey: key, configuration: bad) }
            #expect(throws: SRTPError.self) { try SRTPSender(masterKey: key, configuration: bad) }
        }
    }

    /// The RTCP session keys differ from the RTP ones (labels 3-5, RFC 3711 §4.3.2), and
    /// a GCM master key derives a 12-byte salt and no authentication key.
    @Test func rtcpKeysUseTheirOwnLabels() throws {
        for profile in SRTPProfile.allCases {
            let master = try Fixtures.masterKey(profile)
            let rtp = try SRTPSessionKeys(deriving: .rtp, from: master), rtcp = try SRTPSessionKeys(deriving: .rtcp, from: master)
            #expect(rtp.encryptionKey != rtcp.encryptionKey && rtp.salt != rtcp.salt)
            #expect(rtp.salt.count == profile.saltLength && rtp.authenticationKey.count == profile.authenticationKeyLength)
        }
    }
}
