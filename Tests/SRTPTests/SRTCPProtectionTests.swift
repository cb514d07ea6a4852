@testable import SRTP
import Testing

/// SRTCP protect and unprotect (RFC 3711 §3.4, RFC 7714 §9): index and E-bit, replays,
/// tampering.
@Suite struct SRTCPProtectionTests {
    @Test(arguments: SRTPProfile.allCases, [true, false]) func roundTrip(profile: SRTPProfile, encrypts: Bool) throws {
        let (sender, receiver) = try Fixtures.pair(profile, configuration: SRTPConfiguration(encryptsRTCP: encrypts))
        let packet = Fixtures.rtcp()
        for expectedIndex in UInt32(1)...3 {
            let protected = try sender.protectRTCP(packet)
            #expect(protected.count == packet.count + profile.rtcpOverhead)
            #expect(Array(protected[0..<8]) == Array(packet[0..<8]), "the first header and SSRC stay in clear")
            #expect((Array(protected[8..<packet.count]) == Array(packet[8...])) == !encrypts)
            let wordAt = profile == .aeadAes128Gcm ? protected.count - 4 : packet.count
            #expect(Array(protected[wordAt..<wordAt + 4]) == Fixtures.bytes((encrypts ? 0x8000_0000 : 0) | expectedIndex, count: 4))
            #expect(try receiver.unprotectRTCP(protected) == packet)
        }
    }

    @Test(arguments: SRTPProfile.allCases) func replaysAndTamperingAreRefused(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        let protected = try (0..<80).map { _ in try sender.protectRTCP(Fixtures.rtcp()) }
        _ = try receiver.unprotectRTCP(protected[79])
        _ = try receiver.unprotectRTCP(protected[40])
        #expect(throws: SRTPError.replayed(ssrc: 0x1234_5678, index: 41)) { try receiver.unprotectRTCP(protected[40]) }
        for position in [1, 6, 10, protected[0].count - 1, protected[0].count - 6] {
            var tampered = protected[50]
            tampered[position] ^= 0x01
            let copy = tampered
            #expect(throws: SRTPError.self) { try receiver.unprotectRTCP(&tampered) }
            #expect(tampered == copy)
        }
        #expect(try receiver.unprotectRTCP(protected[50]) == Fixtures.rtcp())
        #expect(throws: SRTPError.tooShort(length: 8 + profile.rtcpOverhead - 1, minimum: 8 + profile.rtcpOverhead)) {
            try receiver.unprotectRTCP([UInt8](repeating: 0x80, count: 8 + profile.rtcpOverhead - 1))
        }
        #expect(throws: SRTPError.tooShort(length: 7, minimum: 8)) { try sender.protectRTCP([0x80, 200, 0, 1, 0, 0, 0]) }
    }

    /// Flipping the E-bit changes what is authenticated, so it fails rather than being
    /// read as cleartext.
    @Test(arguments: SRTPProfile.allCases) func eBitIsAuthenticated(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        var protected = try sender.protectRTCP(Fixtures.rtcp())
        let wordAt = profile == .aeadAes128Gcm ? protected.count - 4 : Fixtures.rtcp().count
        protected[wordAt] ^= 0x80
        #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTCP(protected) }
    }

    @Test func ssrcBound() throws {
        let (sender, receiver) = try Fixtures.pair(.aeadAes128Gcm, configuration: SRTPConfiguration(maximumSSRCs: 3))
        for ssrc in UInt32(1)...3 { _ = try receiver.unprotectRTCP(sender.protectRTCP(Fixtures.rtcp(ssrc: ssrc))) }
        #expect(throws: SRTPError.ssrcLimitReached(ssrc: 4, limit: 3)) { try sender.protectRTCP(Fixtures.rtcp(ssrc: 4)) }
    }
}
