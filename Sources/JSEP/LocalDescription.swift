import DTLS
import ICE
import SDP

/// What one side says about itself in an offer or answer (RFC 8829 §5.2, §5.3): ICE
/// credentials, candidates gathered so far (none when they trickle), the DTLS
/// certificate's fingerprint and whether the agent is ICE-lite. One BUNDLE transport
/// serves every section, as browsers negotiate it (RFC 9143, `max-bundle`).
public struct LocalDescription: Hashable, Sendable {
    public var credentials: ICECredentials
    public var candidates: [ICECandidate]
    public var endOfCandidates: Bool
    /// nil: no DTLS-SRTP (plain RTP sections, see `TransportDescription`).
    public var fingerprint: DTLSFingerprint?
    public var isLite: Bool
    /// The `o=` line: one session id per side, the version counting its descriptions
    /// (RFC 8829 §5.2.1, §5.3.1).
    public var origin: Origin

    public init(credentials: ICECredentials, candidates: [ICECandidate] = [], endOfCandidates: Bool = false,
                fingerprint: DTLSFingerprint? = nil, isLite: Bool = false, origin: Origin) {
        self.credentials = credentials
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
        self.fingerprint = fingerprint
        self.isLite = isLite
        self.origin = origin
    }

    var transport: TransportDescription {
        TransportDescription(iceUfrag: credentials.ufrag, icePwd: credentials.password,
                             fingerprint: fingerprint.map { Fingerprint(hashFunction: "sha-256", bytes: $0.digest) },
                             candidates: candidates, endOfCandidates: endOfCandidates)
    }

    /// An offer of `sections` (RFC 8829 §5.2): `a=setup:actpass`, or in a subsequent offer
    /// from the DTLS client `active` (RFC 8842), which the answer keeps.
    public func offer(_ sections: [OfferOptions.Section], setup: SetupRole = .actpass) -> SessionDescription {
        var offer = SessionDescription.offer(OfferOptions(origin: origin, transport: transport, sections: sections, setup: setup))
        offer.isICELite = isLite
        return offer
    }

    /// The answer to `offer` (RFC 8829 §5.3) with `capabilities`: the DTLS client role
    /// (`a=setup:active`) when the offer leaves it open, as browsers answer.
    public func answer(to offer: SessionDescription, capabilities: [MediaKind: MediaCapabilities]) -> SessionDescription {
        var answer = SessionDescription.answer(to: offer, options: AnswerOptions(origin: origin, transport: transport,
                                                                                capabilities: capabilities))
        answer.isICELite = isLite
        return answer
    }
}
