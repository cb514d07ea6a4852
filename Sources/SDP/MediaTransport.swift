/// What a remote description says about one media section's transport: the input the
/// ICE agent and DTLS endpoint need. Media-level values override session-level ones.
public struct MediaTransport: Hashable, Sendable {
    public var mid: String?
    /// The ICE credentials; `nil` when ufrag or password is missing at both levels.
    public var ice: ICEParameters?
    public var candidates: [ICECandidate]
    /// Whether the peer has finished gathering for this section.
    public var endOfCandidates: Bool
    public var fingerprints: [Fingerprint]
    public var setup: SetupRole?

    public init(mid: String?, ice: ICEParameters?, candidates: [ICECandidate], endOfCandidates: Bool,
                fingerprints: [Fingerprint], setup: SetupRole?) {
        self.mid = mid
        self.ice = ice
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
        self.fingerprints = fingerprints
        self.setup = setup
    }
}

extension SessionDescription {
    /// The transport parameters of each media section, in order.
    public var mediaTransports: [MediaTransport] { media.indices.map(mediaTransport(at:)) }

    /// The transport parameters of the media section at `index`.
    public func mediaTransport(at index: Int) -> MediaTransport {
        let section = media[index]
        let ice = (section.iceUfrag ?? iceUfrag).flatMap { ufrag in
            (section.icePwd ?? icePwd).map { pwd in
                ICEParameters(usernameFragment: ufrag, password: pwd,
                              options: section.iceOptions.isEmpty ? iceOptions : section.iceOptions, isLite: isICELite)
            }
        }
        let fingerprints = section.fingerprints.isEmpty ? self.fingerprints : section.fingerprints
        return MediaTransport(mid: section.mid, ice: ice, candidates: section.candidates,
                              endOfCandidates: section.hasEndOfCandidates || hasEndOfCandidates,
                              fingerprints: fingerprints, setup: section.setup ?? setup)
    }
}
