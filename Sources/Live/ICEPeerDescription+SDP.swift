import DTLS
import ICE
import SDP

/// Errors reading a browser's SDP offer as an ICE peer's remote description.
public struct SDPOfferError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
}

extension ICEPeerDescription {
    /// The remote description a browser's offer (RFC 8829 §5.2) gives: the ICE credentials,
    /// candidates, SHA-256 fingerprint and setup of its first (bundled) transport, and its
    /// application section's SCTP port and message size; trickled candidates come apart.
    public init(offer: SessionDescription) throws(SDPOfferError) {
        guard let transport = offer.mediaTransports.first, let ice = transport.ice else { throw SDPOfferError(description: "no ICE credentials in the offer") }
        guard let fingerprint = transport.fingerprints.first(where: { $0.hashFunction.lowercased() == "sha-256" }),
              let digest = try? DTLSFingerprint(sdp: fingerprint.attributeValue) else {
            throw SDPOfferError(description: "no sha-256 a=fingerprint in the offer")
        }
        let application = offer.media.first { $0.kind == .application }
        self.init(credentials: ICECredentials(ufrag: ice.usernameFragment, password: ice.password), candidates: transport.candidates,
                  fingerprint: digest, setup: transport.setup, sctpPort: application?.sctpPort,
                  maxMessageSize: application?.maxMessageSize.map(Int.init))
    }

    /// This (local) description as the answer to `offer`: its data channel section
    /// accepted (a=sctp-port, a=max-message-size), video rejected (port 0), the DTLS role
    /// active, every candidate and end-of-candidates in it (no trickling). With
    /// `audioSSRC`, the audio section is accepted too, send-only, Opus in the offer's
    /// payload type, from that SSRC (a=ssrc with a CNAME, RFC 5576); otherwise rejected.
    public func answer(to offer: SessionDescription, audioSSRC: UInt32? = nil) throws(SDPOfferError) -> SessionDescription {
        guard let fingerprint, let sctpPort, let maxMessageSize else {
            throw SDPOfferError(description: "the local description has no DTLS fingerprint or SCTP port")
        }
        let transport = TransportDescription(iceUfrag: credentials.ufrag, icePwd: credentials.password,
                                             fingerprint: Fingerprint(hashFunction: "sha-256", bytes: fingerprint.digest),
                                             candidates: candidates, endOfCandidates: true)
        var capabilities: [MediaKind: MediaCapabilities] = [.application: MediaCapabilities(sctpPort: sctpPort, maxMessageSize: UInt64(maxMessageSize))]
        if audioSSRC != nil {
            capabilities[.audio] = MediaCapabilities(codecs: [Codec(payloadType: 111, name: "opus", clockRate: 48_000, channels: 2)], direction: .sendonly)
        }
        var answer = SessionDescription.answer(to: offer, options: AnswerOptions(
            origin: Origin(sessionID: 1, sessionVersion: 1), transport: transport, capabilities: capabilities))
        if let audioSSRC {
            for index in answer.media.indices where answer.media[index].kind == .audio && !answer.media[index].isRejected {
                answer.media[index].append(SSRCAttribute(ssrc: audioSSRC, name: "cname", value: "icelab"))
            }
        }
        return answer
    }

    /// The payload type the offer gives Opus (RFC 7587), if it offers audio with it.
    public static func opusPayloadType(in offer: SessionDescription) -> UInt8? {
        offer.media.first { $0.kind == .audio }?.codecs.first { $0.name.lowercased() == "opus" }?.payloadType
    }
}
