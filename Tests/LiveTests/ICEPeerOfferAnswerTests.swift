import DTLS
import Foundation
import ICE
import SDP
import Testing
@testable import Live

/// `ice-peer --signal` reading a browser's offer and answering it, on Chrome's full offer
/// (audio, video, data channel, bundled): the remote description comes from the bundled
/// transport and the application section; the answer accepts only the data channel.
struct ICEPeerOfferAnswerTests {
    static let offerText = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SDPTests/Fixtures/chrome-offer-full.sdp"), encoding: .utf8)

    @Test func aBrowsersOfferGivesTheRemoteDescription() throws {
        let offer = try SessionDescription(parsing: Self.offerText)
        let remote = try ICEPeerDescription(offer: offer)
        #expect(remote.credentials == ICECredentials(ufrag: "Oyef", password: "7FOqtRTUqtSTu+NsjGeAcaT8"))
        #expect(remote.candidates.count == 5 && remote.setup == .actpass)
        #expect(remote.fingerprint == (try DTLSFingerprint(sdp: "sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:A3:F4:70:03:E7:43:91:73:23:5E")))
        #expect(remote.sctpPort == 5000 && remote.maxMessageSize == 262_144)
    }

    @Test func theAnswerAcceptsTheDataChannelOnlyAsDTLSClient() throws {
        let offer = try SessionDescription(parsing: Self.offerText)
        let local = ICEPeerDescription(credentials: ICECredentials(ufrag: "abcd", password: "0123456789abcdefghijklmn"),
                                       candidates: [try ICECandidate(parsing: "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host")],
                                       fingerprint: DTLSFingerprint(certificateDER: [1, 2, 3]), setup: .active, sctpPort: 5000, maxMessageSize: 65_536)
        let answer = try SessionDescription(parsing: try local.answer(to: offer).serialized())
        #expect(answer.media.map(\.kind) == [.audio, .video, .application])
        #expect(answer.media[0].port == 0 && answer.media[1].port == 0 && answer.media[2].port != 0)
        #expect(answer.bundleMids == ["2"])
        let transport = try #require(answer.mediaTransports.last)
        #expect(transport.setup == .active && transport.ice?.usernameFragment == "abcd" && transport.candidates.count == 1)
        #expect(answer.media[2].sctpPort == 5000 && answer.media[2].maxMessageSize == 65_536)

        let withAudio = try SessionDescription(parsing: try local.answer(to: offer, audioSSRC: 7).serialized())
        #expect(withAudio.media[0].port != 0 && withAudio.media[0].direction == .sendonly && withAudio.media[1].port == 0)
        #expect(withAudio.media[0].codecs.map(\.name) == ["opus"] && withAudio.media[0].codecs.first?.payloadType == 111)
        #expect(withAudio.media[0].ssrcAttributes.map(\.ssrc) == [7] && withAudio.bundleMids == ["0", "2"])
        #expect(ICEPeerDescription.opusPayloadType(in: offer) == 111)

        var noData = local
        noData.sctpPort = nil
        #expect(throws: SDPOfferError.self) { try noData.answer(to: offer) }
        #expect(throws: SDPOfferError.self) { try ICEPeerDescription(offer: SessionDescription(origin: Origin(sessionID: 1, sessionVersion: 1))) }
    }
}
