import DTLS
import ICE
import SDP

/// What an agent takes from the peer's offer or answer: the transport of the BUNDLE
/// (the first accepted section, RFC 9143 §7.3.1), which is all a max-bundle WebRTC
/// endpoint uses (RFC 8829 §5.10).
public struct RemoteDescription: Hashable, Sendable {
    public var credentials: ICECredentials
    public var isLite: Bool
    /// The candidates written in the description, as the SDP has them (names included).
    public var candidates: [ICECandidate]
    public var endOfCandidates: Bool
    /// nil when the description has no `a=fingerprint` (no DTLS).
    public var fingerprint: DTLSFingerprint?
    public var setup: SetupRole?
    /// The mid of the BUNDLE transport's section; trickled candidates name it.
    public var mid: String?

    /// Reads `description`; throws when no section is accepted or the transport lacks ICE
    /// credentials or has an unusable fingerprint.
    public init(_ description: SessionDescription) throws(JSEPError) {
        let bundled = description.bundleMids?.first
        guard let index = description.media.indices.first(where: { i in
            !description.media[i].isRejected && (bundled == nil || description.media[i].mid == bundled)
        }) else { throw JSEPError("no accepted media section") }
        let transport = description.mediaTransport(at: index)
        guard let ice = transport.ice else { throw JSEPError("section \(transport.mid ?? String(index)) has no ICE ufrag or password") }
        credentials = ICECredentials(ufrag: ice.usernameFragment, password: ice.password)
        isLite = ice.isLite
        candidates = transport.candidates
        endOfCandidates = transport.endOfCandidates
        setup = transport.setup
        mid = transport.mid
        // The hash name is case-insensitive (RFC 8122 §5); the SDP parser has decoded the hex.
        if let sha256 = transport.fingerprints.first(where: { $0.hashFunction.lowercased() == "sha-256" }) {
            do { fingerprint = try DTLSFingerprint(digest: sha256.bytes) } catch { throw JSEPError("fingerprint: \(error)") }
        } else if transport.fingerprints.isEmpty {
            fingerprint = nil
        } else {
            throw JSEPError("no sha-256 fingerprint (only \(transport.fingerprints.map(\.hashFunction).joined(separator: ", ")))")
        }
    }
}
