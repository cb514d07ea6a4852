/// A side's transport credentials for offer/answer: ICE username fragment and password,
/// DTLS certificate fingerprint, and the candidates gathered so far.
///
/// Without a fingerprint the sections carry plain RTP (`RTP/AVPF`, RFC 4585) and no
/// `a=setup`: an ICE-only endpoint without DTLS-SRTP, which WebRTC itself never is
/// (RFC 8827 §6.5) but a lab that studies ICE or congestion control alone can be.
public struct TransportDescription: Hashable, Sendable {
    public var iceUfrag: String
    public var icePwd: String
    /// The DTLS certificate's fingerprint (RFC 8122); nil: no DTLS.
    public var fingerprint: Fingerprint?
    public var candidates: [ICECandidate]
    /// Whether gathering is complete (`a=end-of-candidates`).
    public var endOfCandidates: Bool

    public init(iceUfrag: String, icePwd: String, fingerprint: Fingerprint?, candidates: [ICECandidate] = [],
                endOfCandidates: Bool = false) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
    }
}
