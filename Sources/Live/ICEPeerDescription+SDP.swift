import DTLS
import ICE
import JSEP
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
        let remote: RemoteDescription
        do { remote = try RemoteDescription(offer) } catch { throw SDPOfferError(description: "offer: \(error)") }
        guard let digest = remote.fingerprint else { throw SDPOfferError(description: "no sha-256 a=fingerprint in the offer") }
        let application = offer.media.first { $0.kind == .application }
        self.init(credentials: remote.credentials, candidates: remote.candidates, fingerprint: digest, setup: remote.setup,
                  sctpPort: application?.sctpPort, maxMessageSize: application?.maxMessageSize.map(Int.init))
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
        let local = LocalDescription(credentials: credentials, candidates: candidates, endOfCandidates: true, fingerprint: fingerprint,
                                     origin: Origin(sessionID: 1, sessionVersion: 1))
        var capabilities: [MediaKind: MediaCapabilities] = [.application: MediaCapabilities(sctpPort: sctpPort, maxMessageSize: UInt64(maxMessageSize))]
        if audioSSRC != nil {
            capabilities[.audio] = MediaCapabilities(codecs: [.opus()], direction: .sendonly)
        }
        var answer = local.answer(to: offer, capabilities: capabilities)
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
