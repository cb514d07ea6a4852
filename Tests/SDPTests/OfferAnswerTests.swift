import NetTypes
import SDP
import Testing

@Suite struct OfferAnswerTests {
    static let fingerprint = Fingerprint(hashFunction: "sha-256", bytes: Array(0..<32))
    static let host = ICECandidate(foundation: "1", priority: 2_122_260_223, address: .ip(.v4(IPv4Address(192, 0, 2, 1))),
                                   port: 54400, type: .host, generation: 0)
    static let transport = TransportDescription(iceUfrag: "abcd", icePwd: "0123456789abcdefghijkl",
                                                fingerprint: fingerprint, candidates: [host], endOfCandidates: true)
    static let opus = Codec(payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
                            parameters: "minptime=10;useinbandfec=1", feedback: ["transport-cc"])
    static let audio = MediaCapabilities(codecs: [opus, Codec(payloadType: 0, name: "PCMU", clockRate: 8000)],
                                         headerExtensions: ["urn:ietf:params:rtp-hdrext:sdes:mid"],
                                         msid: MSID(streamID: "s", trackID: "a"))
    /// H.264 constrained baseline first, then VP8; we never send transport-cc on H.264.
    static let video = MediaCapabilities(codecs: [
        Codec(payloadType: 100, name: "H264", clockRate: 90000,
              parameters: "packetization-mode=1;profile-level-id=42e01f", feedback: ["nack", "nack pli"]),
        Codec(payloadType: 101, name: "VP8", clockRate: 90000, feedback: ["nack", "nack pli", "transport-cc"]),
        Codec(payloadType: 102, name: "rtx", clockRate: 90000, parameters: "apt=101"),
    ], headerExtensions: ["urn:ietf:params:rtp-hdrext:sdes:mid",
                          "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"],
       direction: .recvonly)
    static let answerOptions = AnswerOptions(origin: Origin(sessionID: 99, sessionVersion: 1), transport: transport,
                                             capabilities: [.audio: audio, .video: video, .application: MediaCapabilities()])

    @Test func offerHasJSEPShape() throws {
        let offer = SessionDescription.offer(OfferOptions(
            origin: Origin(sessionID: 42, sessionVersion: 2), transport: Self.transport,
            sections: [.init(mid: "0", kind: .audio, capabilities: Self.audio),
                       .init(mid: "1", kind: .video, capabilities: Self.video),
                       .init(mid: "2", kind: .application, capabilities: MediaCapabilities())]))
        let text = offer.serialized()
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed == offer)
        #expect(parsed.bundleMids == ["0", "1", "2"])
        #expect(text.hasPrefix("v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"))
        #expect(text.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
            + "a=candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host generation 0\r\na=end-of-candidates\r\n"
            + "a=ice-ufrag:abcd\r\n"))
        #expect(text.contains("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"))
        #expect(text.contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"))
        for (index, media) in parsed.media.enumerated() {
            #expect(media.setup == .actpass)
            #expect(media.iceOptions == ["trickle"])
            #expect(media.fingerprints == [Self.fingerprint])
            #expect(media.candidates.count == (index == 0 ? 1 : 0))
        }
        #expect(parsed.media[0].isRTCPMux && parsed.media[0].msids == [MSID(streamID: "s", trackID: "a")])
        #expect(parsed.media[1].direction == .recvonly && parsed.media[1].msids.isEmpty)
        #expect(parsed.media[1].extMaps.map(\.id) == [1, 2])
        #expect(parsed.media[2].sctpPort == 5000 && parsed.media[2].maxMessageSize == 262_144)
    }

    /// FlexFEC as browsers announce it (`flexfec-03/90000`, `repair-window` in µs, RFC 8627
    /// §5.1.2, and `a=ssrc-group:FEC-FR`, RFC 5956): an ordinary codec to negotiation,
    /// answered when the answerer lists it, its `fmtp` kept; the group parses.
    @Test func flexfecNegotiatesLikeAnyCodec() throws {
        let flexfec = Codec(payloadType: 49, name: "flexfec-03", clockRate: 90000, parameters: "repair-window=10000000")
        var video = Self.video
        video.codecs.append(flexfec)
        let offer = SessionDescription.offer(OfferOptions(origin: Origin(sessionID: 42, sessionVersion: 2), transport: Self.transport,
                                                          sections: [.init(mid: "0", kind: .video, capabilities: video)]))
        let text = offer.serialized()
        #expect(text.contains("a=rtpmap:49 flexfec-03/90000\r\na=fmtp:49 repair-window=10000000\r\n"))
        var options = Self.answerOptions
        options.capabilities[.video] = video
        let answered = SessionDescription.answer(to: try SessionDescription(parsing: text), options: options).media[0].codecs
        #expect(answered.contains(flexfec))
        #expect(!SessionDescription.answer(to: offer, options: Self.answerOptions).media[0].codecs.contains { $0.name == "flexfec-03" })
        let group = try SSRCGroup(attributeValue: "FEC-FR 1234 2345")
        #expect(group == SSRCGroup(semantics: "FEC-FR", ssrcs: [1234, 2345]) && group.attributeValue == "FEC-FR 1234 2345")
    }

    /// A later offer from the DTLS client names its role (RFC 8842); the answer keeps the
    /// association by taking the opposite one rather than its preferred `active`.
    @Test func aSubsequentOfferKeepsTheDTLSRoles() throws {
        let offer = SessionDescription.offer(OfferOptions(
            origin: Origin(sessionID: 42, sessionVersion: 3), transport: Self.transport,
            sections: [.init(mid: "0", kind: .audio, capabilities: Self.audio)], setup: .active))
        let parsed = try SessionDescription(parsing: offer.serialized())
        #expect(parsed.media.map(\.setup) == [.active])
        let answer = SessionDescription.answer(to: parsed, options: Self.answerOptions)
        #expect(answer.media.map(\.setup) == [.passive])
    }

    @Test func answerToChromeOfferSelectsCommonCodecsAndMirrorsMids() throws {
        let offer = try SessionDescription(parsing: Fixture.text("chrome-offer-full"))
        let answer = SessionDescription.answer(to: offer, options: Self.answerOptions)
        let parsed = try SessionDescription(parsing: answer.serialized())
        #expect(parsed == answer)
        #expect(parsed.bundleMids == ["0", "1", "2"])
        #expect(parsed.isExtmapAllowMixed)
        #expect(parsed.media.map(\.mid) == ["0", "1", "2"])
        #expect(parsed.media.allSatisfy { $0.setup == .active && $0.port == 9 })

        let audio = parsed.media[0]
        #expect(audio.formats == ["111", "0"])
        #expect(audio.codecs[0].feedback == ["transport-cc"])
        #expect(audio.codecs[0].parameters == "minptime=10;useinbandfec=1")
        #expect(audio.extMaps == [ExtMap(id: 4, uri: "urn:ietf:params:rtp-hdrext:sdes:mid")])
        #expect(audio.direction == .sendrecv)
        #expect(audio.candidates == [Self.host] && audio.hasEndOfCandidates)

        let video = parsed.media[1]
        // Chrome's constrained-baseline packetization-mode=1 H.264 is 106 (42e01f) with RTX 107;
        // VP8 is 96 with RTX 97.
        #expect(video.formats == ["106", "96", "107", "97"])
        #expect(video.codecs[0].feedback == ["nack", "nack pli"])
        #expect(video.codecs[1].feedback == ["transport-cc", "nack", "nack pli"])
        #expect(video.codecs[2...].map(\.associatedPayloadType) == [106, 96])
        #expect(video.extMaps.map(\.id) == [3, 4])
        #expect(video.direction == .recvonly)
        #expect(video.msids.isEmpty)
        #expect(video.candidates.isEmpty)
        #expect(parsed.media[2].formats == ["webrtc-datachannel"] && parsed.media[2].sctpPort == 5000)
    }

    @Test func answerRejectsUnsupportedKindsAndTakesTheOppositeRole() throws {
        var offer = try SessionDescription(parsing: Fixture.text("chrome-offer-mdns"))
        offer.media[1].setValue(SetupRole.active.rawValue, of: SetupRole.attributeName)
        var options = Self.answerOptions
        options.capabilities[.application] = nil
        options.preferredSetup = .passive
        let answer = SessionDescription.answer(to: offer, options: options)
        #expect(answer.bundleMids == ["0", "1"])
        #expect(answer.media.map(\.setup) == [.passive, .passive, nil])
        #expect(answer.media[2].isRejected && answer.media[2].mid == "2")
        #expect(answer.media[2].formats == ["webrtc-datachannel"])
        // Offer recvonly audio: we only send; offer sendonly video and we receive only: recvonly.
        #expect(answer.media[0].direction == .sendonly && answer.media[1].direction == .recvonly)
    }

    @Test func sectionWithoutCommonCodecIsRejected() throws {
        let offer = try SessionDescription(parsing: Fixture.text("firefox-offer"))
        var options = Self.answerOptions
        options.capabilities[.video] = MediaCapabilities(codecs: [Codec(payloadType: 35, name: "H265", clockRate: 90000)])
        let answer = SessionDescription.answer(to: offer, options: options)
        #expect(answer.media[1].isRejected)
        #expect(answer.bundleMids == ["0", "2"])
        #expect(answer.media[0].formats == ["109", "0"])
        #expect(answer.media[0].codecs.first?.parameters == "maxplaybackrate=48000;stereo=1;useinbandfec=1")
    }

    @Test func codecMatchingHonoursIdentifyingParameters() {
        func h264(_ fmtp: String) -> Codec { Codec(payloadType: 1, name: "H264", clockRate: 90000, parameters: fmtp) }
        #expect(h264("packetization-mode=1;profile-level-id=42e01f").matches(h264("profile-level-id=42E034;packetization-mode=1")))
        #expect(!h264("packetization-mode=1;profile-level-id=42e01f").matches(h264("packetization-mode=0;profile-level-id=42e01f")))
        #expect(!h264("packetization-mode=1;profile-level-id=42e01f").matches(h264("packetization-mode=1;profile-level-id=64001f")))
        let vp9 = Codec(payloadType: 2, name: "VP9", clockRate: 90000)
        #expect(vp9.matches(Codec(payloadType: 3, name: "vp9", clockRate: 90000, parameters: "profile-id=0")))
        #expect(!vp9.matches(Codec(payloadType: 3, name: "VP9", clockRate: 90000, parameters: "profile-id=2")))
        #expect(!Self.opus.matches(Codec(payloadType: 111, name: "opus", clockRate: 48000)))
    }

    @Test func extractsTransportFromMediaOrSessionLevel() throws {
        let firefox = try SessionDescription(parsing: Fixture.text("firefox-answer"))
        let transports = firefox.mediaTransports
        #expect(transports.map(\.mid) == ["0", "1", "2"])
        #expect(transports[0].ice == ICEParameters(usernameFragment: "e7c1d2a9", password: "9b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e",
                                                   options: ["trickle"]))
        #expect(transports[0].candidates.count == 4 && transports[0].endOfCandidates)
        #expect(transports[1].candidates.isEmpty && !transports[1].endOfCandidates)
        #expect(transports.allSatisfy { $0.fingerprints == firefox.fingerprints && $0.setup == .active })

        var chrome = try SessionDescription(parsing: Fixture.text("chrome-offer-mdns"))
        chrome.isICELite = true
        chrome.media[2].removeAttributes(named: AttributeName.icePwd)
        let chromeTransports = chrome.mediaTransports
        #expect(chromeTransports[0].ice?.isLite == true)
        #expect(chromeTransports[0].candidates.first?.address.isMulticastDNSName == true)
        #expect(chromeTransports[2].ice == nil)
        #expect(chromeTransports[1].setup == .actpass)
    }
}
