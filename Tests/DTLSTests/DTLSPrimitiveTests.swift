@testable import DTLS
import NetTypes
import TestSupport
import TLS
import Testing

/// The building blocks against published vectors and their own invariants.
@Suite struct DTLSPrimitiveTests {
    /// The TLS 1.2 P_SHA256 vector posted to the IETF TLS list (msg03416) and used by
    /// many stacks' tests.
    @Test func prfMatchesThePublishedVector() {
        let output = DTLSPRF.prf(secret: [UInt8](hex: "9bbe436ba940f017b17652849a71db35"), label: "test label",
                                 seed: [UInt8](hex: "a0ba9f936cda311827a6f796ffd5198c"), length: 100)
        #expect(output == [UInt8](hex: "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66"))
    }

    /// HMAC-SHA256, RFC 4231 test case 2.
    @Test func hmacMatchesRFC4231() {
        #expect(DTLSPRF.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want ".utf8), Array("for nothing?".utf8))
                == [UInt8](hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
    }

    @Test func fingerprintRoundTripsThroughSDP() throws {
        let identity = DTLSFixtures.serverIdentity
        let fingerprint = DTLSFingerprint(identity: identity)
        #expect(fingerprint.hex == identity.fingerprint)
        #expect(fingerprint.sdpValue == "sha-256 " + identity.fingerprint)
        #expect(try DTLSFingerprint(sdp: fingerprint.sdpValue) == fingerprint)
        #expect(try DTLSFingerprint(sdp: "SHA-256 " + identity.fingerprint.lowercased()) == fingerprint)
        #expect(throws: DTLSError.self) { try DTLSFingerprint(sdp: "sha-1 " + identity.fingerprint) }
        #expect(throws: DTLSError.self) { try DTLSFingerprint(sdp: "sha-256 AB:CD") }
        #expect(throws: DTLSError.self) { try DTLSFingerprint(sdp: "sha-256 " + identity.fingerprint.replacingOccurrences(of: "A", with: "G")) }
        #expect(throws: DTLSError.self) { try DTLSFingerprint(sdp: "") }
    }

    /// The digest bytes an SDP parser decoded make the same fingerprint as the hex text;
    /// any other length than SHA-256's 32 bytes is refused with the hex path's message.
    @Test func fingerprintFromDigestBytes() throws {
        let fingerprint = DTLSFingerprint(identity: DTLSFixtures.serverIdentity)
        #expect(try DTLSFingerprint(digest: fingerprint.digest) == fingerprint)
        #expect(try DTLSFingerprint(digest: fingerprint.digest).sdpValue == fingerprint.sdpValue)
        for count in [0, 20, 31, 33, 64] {
            let error = #expect(throws: DTLSError.self) { try DTLSFingerprint(digest: [UInt8](repeating: 0xAB, count: count)) }
            #expect(error == .invalidFingerprint("a sha-256 fingerprint has 32 bytes, got \(count)"))
        }
        let short = #expect(throws: DTLSError.self) { try DTLSFingerprint(sdp: "sha-256 AB:CD") }
        #expect(short == .invalidFingerprint("a sha-256 fingerprint has 32 bytes, got 2"))
    }

    @Test func replayWindowFollowsRFC6347() {
        var window = DTLSReplayWindow()
        #expect(window.isFresh(5))
        window.mark(5)
        #expect(!window.isFresh(5) && window.isFresh(4) && window.isFresh(6))
        window.mark(100)
        #expect(!window.isFresh(36) && window.isFresh(37) && !window.isFresh(100) && window.isFresh(99))
        window.mark(99)
        #expect(!window.isFresh(99) && window.isFresh(98))
        window.mark(1_000)
        #expect(!window.isFresh(100) && window.isFresh(999))
    }

    @Test func reassemblerTakesOverlappingFragmentsInAnyOrder() {
        var reassembler = DTLSReassembler()
        let body = (0..<100).map { UInt8($0) }
        func fragment(_ range: Range<Int>, sequence: UInt16 = 0) -> DTLSHandshakeFragment {
            DTLSHandshakeFragment(type: 11, length: 100, sequence: sequence, offset: range.lowerBound, data: body[range])
        }
        #expect(reassembler.add(fragment(60..<100), epoch: 0) == .accepted)
        #expect(reassembler.next() == nil)
        #expect(reassembler.add(fragment(0..<30), epoch: 0) == .accepted)
        #expect(reassembler.add(fragment(20..<70), epoch: 0) == .accepted)
        #expect(reassembler.add(fragment(0..<10, sequence: 20), epoch: 0) == .dropped)  // beyond the window
        let message = reassembler.next()
        #expect(message?.body == body && message?.sequence == 0 && message?.type == 11)
        #expect(reassembler.add(fragment(0..<10), epoch: 0) == .old)
        // A fragment disagreeing with its message's length is dropped.
        #expect(reassembler.add(fragment(0..<10, sequence: 1), epoch: 0) == .accepted)
        #expect(reassembler.add(DTLSHandshakeFragment(type: 11, length: 50, sequence: 1, offset: 0, data: body[0..<10]), epoch: 0) == .dropped)
    }

    @Test func recordCipherRoundTripsAndRejectsTampering() throws {
        let cipher = DTLSRecordCipher(key: [UInt8](repeating: 1, count: 16), salt: [1, 2, 3, 4])
        let sealed = try cipher.seal(type: 23, epoch: 1, sequence: 7, plaintext: Array("secret".utf8))
        #expect(sealed.count == 6 + DTLSRecordCipher.overhead)
        #expect(cipher.open(type: 23, epoch: 1, sequence: 7, body: sealed[...]) == Array("secret".utf8))
        #expect(cipher.open(type: 23, epoch: 1, sequence: 8, body: sealed[...]) == nil)
        #expect(cipher.open(type: 22, epoch: 1, sequence: 7, body: sealed[...]) == nil)
        #expect(cipher.open(type: 23, epoch: 1, sequence: 7, body: sealed.dropLast()) == nil)
        var flipped = sealed
        flipped[10] ^= 1
        #expect(cipher.open(type: 23, epoch: 1, sequence: 7, body: flipped[...]) == nil)
        // The context is reused per record: a failed check leaves nothing behind.
        #expect(cipher.open(type: 23, epoch: 1, sequence: 7, body: sealed[...]) == Array("secret".utf8))
        #expect(try cipher.seal(type: 23, epoch: 1, sequence: 7, plaintext: Array("secret".utf8)) == sealed)
        #expect(try cipher.seal(type: 21, epoch: 1, sequence: 0, plaintext: []).count == DTLSRecordCipher.overhead)
    }

    @Test func helloMessagesRoundTrip() throws {
        var extensions = DTLSHelloExtensions()
        extensions.supportedGroups = [29, 23]
        extensions.pointFormats = [0]
        extensions.signatureAlgorithms = [0x0403]
        extensions.srtpProfiles = [7, 1]
        extensions.extendedMasterSecret = true
        extensions.renegotiationInfo = []
        var hello = DTLSClientHello(random: [UInt8](repeating: 9, count: 32), cipherSuites: [0xC02B], extensions: extensions)
        hello.cookie = [1, 2, 3]
        #expect(try DTLSClientHello(decoding: hello.encoded) == hello)
        let server = DTLSServerHello(random: [UInt8](repeating: 3, count: 32), cipherSuite: 0xC02B, extensions: extensions)
        #expect(try DTLSServerHello(decoding: server.encoded) == server)
        // A duplicated extension is a decode error (RFC 5246 §7.4.1.4).
        var duplicated = DTLSClientHello(random: hello.random, cipherSuites: [0xC02B], extensions: DTLSHelloExtensions()).encoded
        duplicated += [0, 8, 0, 23, 0, 0, 0, 23, 0, 0]
        #expect(throws: DTLSError.self) { try DTLSClientHello(decoding: duplicated) }
        // Every truncation fails but the one that drops the whole (optional) extensions block.
        for cut in 0..<hello.encoded.count where cut != hello.encoded.count - extensions.encoded.count {
            #expect(throws: DTLSError.self) { try DTLSClientHello(decoding: Array(hello.encoded.prefix(cut))) }
        }
    }
}
