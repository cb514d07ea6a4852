/// A side's transport credentials for offer/answer: ICE username fragment and password,
/// DTLS certificate fingerprint, and the candidates gathered so far.
public struct TransportDescription: Hashable, Sendable {
    public var iceUfrag: String
    public var icePwd: String
    public var fingerprint: Fingerprint
    public var candidates: [ICECandidate]
    /// Whether gathering is complete (`a=end-of-candidates`).
    public var endOfCandidates: Bool

    public init(iceUfrag: String, icePwd: String, fingerprint: Fingerprint, candidates: [ICECandidate] = [],
                endOfCandidates: Bool = false) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
    }
}
