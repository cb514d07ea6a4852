import DTLS
import ICE
import JSEP
import NetTypes
import SDP
import Testing

@Suite struct DescriptionTests {
    static let credentials = ICECredentials(ufrag: "8hhY", password: "asd88fgpdd777uzjYhagZg")
    static let fingerprint = DTLSFingerprint(certificateDER: Array("not a certificate, but any bytes hash".utf8))
    static let host = ICECandidate(foundation: "1", component: 1, transport: .udp, priority: 2_130_706_431,
                                   address: .ip(try! IPAddress(parsing: "192.0.2.3")), port: 5000, type: .host)
    static let sections = [OfferOptions.Section(mid: "0", kind: .audio,
                                                capabilities: MediaCapabilities(codecs: [Codec(payloadType: 111, name: "opus", clockRate: 48_000, channels: 2)])),
                           OfferOptions.Section(mid: "1", kind: .application, capabilities: MediaCapabilities())]

    static func local(fingerprint: DTLSFingerprint? = Self.fingerprint, lite: Bool = false) -> LocalDescription {
        LocalDescription(credentials: credentials, candidates: [host], endOfCandidates: true, fingerprint: fingerprint, isLite: lite,
                         origin: Origin(sessionID: 42, sessionVersion: 3))
    }

    @Test func anOfferSurvivesItsTextAsTheRemoteDescription() throws {
        let text = Self.local(lite: true).offer(Self.sections).serialized()
        let remote = try RemoteDescription(try SessionDescription(parsing: text))
        #expect(remote.credentials == Self.credentials)
        #expect(remote.isLite)
        #expect(remote.candidates == [Self.host])
        #expect(remote.endOfCandidates)
        #expect(remote.fingerprint == Self.fingerprint)
        #expect(remote.setup == .actpass)
        #expect(remote.mid == "0")
        #expect(text.contains("a=group:BUNDLE 0 1\r\n"))
        #expect(text.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"))
        #expect(text.contains("o=- 42 3 IN IP4 127.0.0.1\r\n"))
    }

    @Test func theAnswerTakesTheClientRole() throws {
        let offer = try SessionDescription(parsing: Self.local().offer(Self.sections).serialized())
        var answering = Self.local()
        answering.credentials = ICECredentials(ufrag: "ansr", password: "0123456789abcdefghijkl")
        answering.candidates = []
        answering.endOfCandidates = false
        let answer = answering.answer(to: offer, capabilities: [.application: MediaCapabilities()])
        let remote = try RemoteDescription(try SessionDescription(parsing: answer.serialized()))
        #expect(remote.setup == .active)
        #expect(remote.credentials.ufrag == "ansr")
        #expect(!remote.endOfCandidates)
        // Audio was rejected (no capabilities): the BUNDLE transport is the data section's.
        #expect(remote.mid == "1")
        #expect(answer.media[0].isRejected)
    }

    @Test func withoutDTLSSectionsArePlainRTPWithoutSetup() throws {
        let text = Self.local(fingerprint: nil).offer(Self.sections).serialized()
        #expect(text.contains("m=audio 9 RTP/AVPF 111\r\n"))
        #expect(!text.contains("a=fingerprint"))
        #expect(!text.contains("a=setup"))
        let remote = try RemoteDescription(try SessionDescription(parsing: text))
        #expect(remote.fingerprint == nil)
        #expect(remote.setup == nil)
    }

    @Test func descriptionsWithoutTransportAreRefused() throws {
        let noICE = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
        #expect(throws: JSEPError.self) { try RemoteDescription(try SessionDescription(parsing: noICE)) }
        let rejected = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 0 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\n"
        #expect(throws: JSEPError.self) { try RemoteDescription(try SessionDescription(parsing: rejected)) }
        let sha1Only = noICE + "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\na=fingerprint:sha-1 AB:CD\r\n"
        let error = #expect(throws: JSEPError.self) { try RemoteDescription(try SessionDescription(parsing: sha1Only)) }
        #expect(error?.message.contains("sha-256") == true)
    }

    /// The fingerprint comes from the bytes the SDP parser decoded (the hash name in any
    /// case, RFC 8122 §5); a digest of the wrong length is refused with the same words
    /// as when it went through hex text.
    @Test func fingerprintsAreTakenFromTheirDecodedBytes() throws {
        let head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
            + "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n"
        let upper = head + "a=fingerprint:SHA-256 " + Self.fingerprint.hex.lowercased() + "\r\n"
        #expect(try RemoteDescription(try SessionDescription(parsing: upper)).fingerprint == Self.fingerprint)
        let short = head + "a=fingerprint:sha-256 AB:CD\r\n"
        let error = #expect(throws: JSEPError.self) { try RemoteDescription(try SessionDescription(parsing: short)) }
        #expect(error?.message == "fingerprint: invalid fingerprint: a sha-256 fingerprint has 32 bytes, got 2")
    }

    @Test func candidatesConvertBothWays() throws {
        let candidate = try #require(Candidate(Self.host))
        #expect(candidate.address == Endpoint(try IPAddress(parsing: "192.0.2.3"), 5000))
        #expect(candidate.type == .host)
        #expect(ICECandidate(candidate) == Self.host)
        var named = Self.host
        named.address = .hostname("1f2e-3d4c.local")
        #expect(Candidate(named) == nil)
    }
}
