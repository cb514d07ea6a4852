import NetTypes
import SDP
import Testing

@Suite struct RoundTripTests {
    @Test(arguments: Fixture.names)
    func browserSDPRoundTripsByteForByte(name: String) throws {
        let text = try Fixture.text(name)
        let description = try SessionDescription(parsing: text)
        #expect(description.serialized() == text)
    }

    @Test func lfOnlyInputParsesAndSerializesWithCRLF() throws {
        let text = try Fixture.text("chrome-offer-mdns")
        let lf = text.replacingOccurrences(of: "\r\n", with: "\n")
        let description = try SessionDescription(parsing: lf)
        #expect(description.serialized() == text)
    }

    @Test func chromeOfferTypedFields() throws {
        let offer = try SessionDescription(parsing: Fixture.text("chrome-offer-full"))
        #expect(offer.origin.sessionID == "4611731400430051336")
        #expect(offer.origin.sessionVersion == "2")
        #expect(offer.bundleMids == ["0", "1", "2"])
        #expect(offer.isExtmapAllowMixed)
        #expect(offer.media.map(\.kind) == [.audio, .video, .application])
        #expect(offer.media.map(\.mid) == ["0", "1", "2"])

        let audio = offer.media[0]
        #expect(audio.port == 54400)
        #expect(audio.connections.first?.ipAddress == .v4(IPv4Address(192, 0, 2, 10)))
        #expect(audio.iceUfrag == "Oyef")
        #expect(audio.icePwd == "7FOqtRTUqtSTu+NsjGeAcaT8")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.setup == .actpass)
        #expect(audio.direction == .sendrecv)
        #expect(audio.isRTCPMux && audio.isRTCPReducedSize)
        #expect(audio.rtcp == RTCPAttribute(port: 9, connection: ConnectionData()))
        let fingerprint = try #require(audio.fingerprints.first)
        #expect(fingerprint.hashFunction == "sha-256")
        #expect(fingerprint.bytes.count == 32)
        #expect(fingerprint.bytes.prefix(3) == [0x49, 0x66, 0x12])

        let candidates = audio.candidates
        #expect(candidates.count == 5)
        #expect(candidates.map(\.type) == [.host, .host, .serverReflexive, .host, .relay])
        #expect(candidates[0].endpoint == Endpoint(.v4(IPv4Address(192, 168, 1, 20)), 54400))
        #expect(candidates[0].priority == 2_122_260_223)
        #expect(candidates[0].networkID == 1 && candidates[0].networkCost == 10 && candidates[0].generation == 0)
        #expect(candidates[1].address.ipAddress?.family == .ipv6)
        #expect(candidates[2].relatedEndpoint == Endpoint(.v4(IPv4Address(192, 168, 1, 20)), 54400))
        #expect(candidates[3].transport == .tcp && candidates[3].tcpType == .active && candidates[3].port == 9)

        #expect(audio.rtpMaps.first == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.formatParameters.first { $0.format == "111" }?.parameter("useinbandfec") == "1")
        #expect(audio.extMaps.map(\.id) == [1, 2, 3, 4])
        #expect(audio.ssrcAttributes.first == SSRCAttribute(ssrc: 3_735_928_559, name: "cname", value: "Yq1f5T0vdpKZ8hzD"))
        #expect(audio.msids.first?.trackID == "8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d")

        let video = offer.media[1]
        #expect(video.formats.count == 25)
        #expect(video.rtpMaps.count == 25)
        #expect(video.ssrcGroups == [SSRCGroup(semantics: "FID", ssrcs: [2_864_124_011, 1_547_593_436])])
        #expect(video.rtcpFeedback.filter { $0.payloadType == "96" }.map(\.feedback)
                == ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"])
        let h264 = video.formatParameters.first { $0.format == "102" }
        #expect(h264?.parameter("profile-level-id") == "42001f")
        #expect(h264?.parameter("PACKETIZATION-MODE") == "1")

        let data = offer.media[2]
        #expect(data.transportProtocol == "UDP/DTLS/SCTP")
        #expect(data.formats == ["webrtc-datachannel"])
        #expect(data.sctpPort == 5000)
        #expect(data.maxMessageSize == 262_144)
    }

    @Test func chromeMDNSCandidatesKeepTheirNames() throws {
        let offer = try SessionDescription(parsing: Fixture.text("chrome-offer-mdns"))
        let candidates = offer.media[0].candidates
        #expect(candidates[0].address == .hostname("1f0e9b4c-7a3d-4c2e-9b8a-5d6e7f8091a2.local"))
        #expect(candidates[0].address.isMulticastDNSName)
        #expect(candidates[0].endpoint == nil)
        #expect(candidates[1].relatedEndpoint == Endpoint(.v4(.any), 0))
        #expect(offer.media[0].direction == .recvonly)
        #expect(offer.media[1].direction == .sendonly)
        #expect(offer.media[1].msids == [MSID(streamID: "-", trackID: "5e1b0f5a-44c1-4f0e-a3f2-0c7b6d9e8f10")])
    }

    @Test func firefoxDescriptionsTypedFields() throws {
        let offer = try SessionDescription(parsing: Fixture.text("firefox-offer"))
        #expect(offer.fingerprints.count == 1)
        #expect(offer.media[0].fingerprints.isEmpty)
        #expect(offer.iceOptions == ["trickle"])
        #expect(offer.media[0].extMaps[1] == ExtMap(id: 2, direction: .recvonly, uri: "urn:ietf:params:rtp-hdrext:csrc-audio-level"))
        #expect(offer.media[0].rtpMaps[1].channels == 1)

        let answer = try SessionDescription(parsing: Fixture.text("firefox-answer"))
        let audio = answer.media[0]
        #expect(audio.setup == .active)
        #expect(audio.hasEndOfCandidates)
        #expect(audio.candidates.map(\.transport) == [.udp, .tcp, .udp, .udp])
        #expect(audio.candidates[1].tcpType == .active)
        #expect(audio.candidates[3].type == .relay && audio.candidates[3].priority == 8_331_263)
    }
}
