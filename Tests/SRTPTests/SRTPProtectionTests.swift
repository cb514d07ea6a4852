@testable import SRTP
import Testing

/// SRTP (RTP) protect and unprotect between an `SRTPSender` and an `SRTPReceiver`: round
/// trips, the rollover counter, replay protection, tampering, SSRC bounds.
@Suite struct SRTPProtectionTests {
    @Test(arguments: SRTPProfile.allCases) func roundTripKeepsHeaderInClear(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        for (sequence, shape) in [(UInt16(1), (0, false, UInt8(0))), (2, (3, false, 0)), (3, (0, true, 0)), (4, (15, true, 7)), (5, (2, false, 255))] {
            let packet = Fixtures.rtp(sequence: sequence, csrcs: shape.0, extended: shape.1, padding: shape.2)
            let header = 12 + 4 * shape.0 + (shape.1 ? 8 : 0)
            let protected = try sender.protectRTP(packet)
            #expect(protected.count == packet.count + profile.rtpOverhead)
            #expect(Array(protected[0..<header]) == Array(packet[0..<header]), "header, CSRCs and extension stay in clear")
            #expect(protected[header..<packet.count] != packet[header...], "payload and padding are encrypted")
            #expect(try receiver.unprotectRTP(protected) == packet)
        }
    }

    /// An empty payload (header only) round-trips too.
    @Test(arguments: SRTPProfile.allCases) func headerOnlyPacket(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        let packet = Fixtures.rtp(sequence: 9, payload: 0)
        #expect(try receiver.unprotectRTP(sender.protectRTP(packet)) == packet)
    }

    /// The same packets under the same key give the same bytes.
    @Test(arguments: SRTPProfile.allCases) func deterministic(profile: SRTPProfile) throws {
        let (first, _) = try Fixtures.pair(profile), (second, _) = try Fixtures.pair(profile)
        for sequence in UInt16(0)..<20 {
            let packet = Fixtures.rtp(sequence: sequence &* 4000)
            #expect(try first.protectRTP(packet) == second.protectRTP(packet))
            #expect(try first.protectRTCP(Fixtures.rtcp()) == second.protectRTCP(Fixtures.rtcp()))
        }
    }

    /// Sequence numbers 65534, 65535, 0, 1: the ROC steps to 1 on both sides (RFC 3711
    /// §3.3.1), and the packets after the wrap are encrypted under index 2^16 + SEQ.
    @Test(arguments: SRTPProfile.allCases) func rolloverCounterWraps(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        for sequence: UInt16 in [65_534, 65_535, 0, 1, 2] {
            let packet = Fixtures.rtp(sequence: sequence)
            #expect(try receiver.unprotectRTP(sender.protectRTP(packet)) == packet)
        }
        // A fresh receiver assumes ROC 0, so the packet of ROC 1 does not authenticate.
        let (_, fresh) = try Fixtures.pair(profile)
        #expect(throws: SRTPError.authenticationFailed) { try fresh.unprotectRTP(sender.protectRTP(Fixtures.rtp(sequence: 3))) }
        // A late packet from before the wrap still decrypts with ROC 0.
        let late = try Fixtures.pair(profile).0
        let early = try late.protectRTP(Fixtures.rtp(sequence: 65_533))
        for sequence: UInt16 in [65_534, 65_535, 0] { _ = try late.protectRTP(Fixtures.rtp(sequence: sequence)) }
        let (_, reordering) = try Fixtures.pair(profile)
        _ = try reordering.unprotectRTP(late.protectRTP(Fixtures.rtp(sequence: 65_532)))
        _ = try reordering.unprotectRTP(late.protectRTP(Fixtures.rtp(sequence: 1)))
        #expect(try reordering.unprotectRTP(early) == Fixtures.rtp(sequence: 65_533))
    }

    /// Packets reordered inside the window are accepted once each; a second copy is a
    /// replay; a packet behind the window is too old.
    @Test(arguments: SRTPProfile.allCases) func replayWindow(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile, configuration: SRTPConfiguration(replayWindowSize: 64))
        let protected = try (UInt16(100)..<300).map { try sender.protectRTP(Fixtures.rtp(sequence: $0)) }
        for index in [0, 5, 3, 4, 1, 2, 63, 10] { _ = try receiver.unprotectRTP(protected[index]) }
        #expect(throws: SRTPError.replayed(ssrc: 0x1234_5678, index: 103)) { try receiver.unprotectRTP(protected[3]) }
        _ = try receiver.unprotectRTP(protected[199])
        // Highest is 299; 299 - 236 = 63 is the window's oldest slot, 235 is behind it.
        _ = try receiver.unprotectRTP(protected[136])
        #expect(throws: SRTPError.tooOld(ssrc: 0x1234_5678, index: 235)) { try receiver.unprotectRTP(protected[135]) }
        #expect(throws: SRTPError.replayed(ssrc: 0x1234_5678, index: 299)) { try receiver.unprotectRTP(protected[199]) }
    }

    /// A larger window keeps packets a 64-packet one would call too old.
    @Test func largerWindowReachesFurther() throws {
        let (sender, receiver) = try Fixtures.pair(.aes128CmHmacSha1_80, configuration: SRTPConfiguration(replayWindowSize: 1024))
        let protected = try (UInt16(0)..<1000).map { try sender.protectRTP(Fixtures.rtp(sequence: $0, payload: 4)) }
        _ = try receiver.unprotectRTP(protected[999])
        _ = try receiver.unprotectRTP(protected[1])
        #expect(throws: SRTPError.replayed(ssrc: 0x1234_5678, index: 1)) { try receiver.unprotectRTP(protected[1]) }
    }

    /// A flipped bit in the header, payload or tag fails authentication and leaves the
    /// packet and the receiver as they were.
    @Test(arguments: SRTPProfile.allCases) func tamperingIsRefused(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        let packet = Fixtures.rtp(sequence: 7, csrcs: 1, extended: true)
        let protected = try sender.protectRTP(packet)
        for position in [1, 5, 13, 20, 30, protected.count - profile.rtpTagLength - 1, protected.count - 1] {
            var tampered = protected
            tampered[position] ^= 0x04
            let copy = tampered
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTP(&tampered) }
            #expect(tampered == copy, "a refused packet is left as it came")
        }
        #expect(try receiver.unprotectRTP(protected) == packet)
    }

    /// Short, over-long and malformed packets fail with typed errors.
    @Test(arguments: SRTPProfile.allCases) func badPacketsAreTypedErrors(profile: SRTPProfile) throws {
        let (sender, receiver) = try Fixtures.pair(profile)
        #expect(throws: SRTPError.tooShort(length: 11, minimum: 12)) { try sender.protectRTP([UInt8](repeating: 0x80, count: 11)) }
        #expect(throws: SRTPError.tooShort(length: 12 + profile.rtpTagLength - 1, minimum: 12 + profile.rtpTagLength)) {
            try receiver.unprotectRTP([UInt8](repeating: 0x80, count: 12 + profile.rtpTagLength - 1))
        }
        #expect(throws: SRTPError.self) { try sender.protectRTP([UInt8](repeating: 0x80, count: 65_535)) }
        #expect(throws: SRTPError.self) { try receiver.unprotectRTP([UInt8](repeating: 0x80, count: 65_536)) }
        var version1 = Fixtures.rtp(sequence: 1)
        version1[0] = 0x40
        #expect(throws: SRTPError.self) { try sender.protectRTP(version1) }
        var csrcsPastEnd = Fixtures.rtp(sequence: 1, payload: 8)
        csrcsPastEnd[0] |= 0x0F
        #expect(throws: SRTPError.self) { try sender.protectRTP(csrcsPastEnd) }
        var extensionPastEnd = Fixtures.rtp(sequence: 1, payload: 8, extended: true)
        extensionPastEnd[15] = 0xFF
        #expect(throws: SRTPError.self) { try sender.protectRTP(extensionPastEnd) }
        // A refused packet is left unchanged for the caller.
        var unchanged = version1
        #expect(throws: SRTPError.self) { try sender.protectRTP(&unchanged) }
        #expect(unchanged == version1)
    }

    /// Many SSRCs each keep their own ROC and window; beyond the bound a new SSRC is
    /// refused with a typed error while known ones go on.
    @Test(arguments: SRTPProfile.allCases) func ssrcBound(profile: SRTPProfile) throws {
        let configuration = SRTPConfiguration(maximumSSRCs: 50)
        let (sender, receiver) = try Fixtures.pair(profile, configuration: configuration)
        for round in UInt16(0)..<3 {
            for ssrc in UInt32(1)...50 {
                let packet = Fixtures.rtp(sequence: round &+ UInt16(ssrc) &* 1000, ssrc: ssrc, payload: 20)
                #expect(try receiver.unprotectRTP(sender.protectRTP(packet)) == packet)
            }
        }
        #expect(throws: SRTPError.ssrcLimitReached(ssrc: 51, limit: 50)) { try sender.protectRTP(Fixtures.rtp(sequence: 0, ssrc: 51)) }
        let other = try SRTPSender(masterKey: Fixtures.masterKey(profile))
        #expect(throws: SRTPError.ssrcLimitReached(ssrc: 51, limit: 50)) { try receiver.unprotectRTP(other.protectRTP(Fixtures.rtp(sequence: 0, ssrc: 51))) }
        #expect(try receiver.unprotectRTP(sender.protectRTP(Fixtures.rtp(sequence: 1003, ssrc: 1))) == Fixtures.rtp(sequence: 1003, ssrc: 1))
    }

    /// Packets that do not authenticate create no SSRC state: forged SSRCs cannot fill
    /// the table.
    @Test func forgedSSRCsTakeNoRoom() throws {
        let (sender, receiver) = try Fixtures.pair(.aes128CmHmacSha1_80, configuration: SRTPConfiguration(maximumSSRCs: 2))
        let stranger = try SRTPSender(masterKey: Fixtures.masterKey(.aes128CmHmacSha1_80, seed: 9))
        for ssrc in UInt32(100)..<110 {
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTP(stranger.protectRTP(Fixtures.rtp(sequence: 1, ssrc: ssrc))) }
        }
        for ssrc in UInt32(1)...2 { _ = try receiver.unprotectRTP(sender.protectRTP(Fixtures.rtp(sequence: 1, ssrc: ssrc))) }
    }

    /// A sender whose sequence numbers jump back by more than half the space from its
    /// first packet cannot be given an index (ROC would be −1).
    @Test func senderRefusesIndexBeforeItsFirst() throws {
        let (sender, _) = try Fixtures.pair(.aes128CmHmacSha1_80)
        _ = try sender.protectRTP(Fixtures.rtp(sequence: 100))
        #expect(throws: SRTPError.tooOld(ssrc: 0x1234_5678, index: 40_000)) { try sender.protectRTP(Fixtures.rtp(sequence: 40_000)) }
    }
}
