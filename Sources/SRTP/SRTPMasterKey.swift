/// A master key and master salt (RFC 3711 §3.2.1), from which the session keys of one
/// direction are derived (§4.3). DTLS-SRTP exports one per direction (RFC 5764 §4.2).
public struct SRTPMasterKey: Hashable, Sendable {
    public let profile: SRTPProfile
    public let key: [UInt8]
    public let salt: [UInt8]

    /// Throws `SRTPError.invalidMasterKey` when the lengths are not the profile's.
    public init(profile: SRTPProfile, key: [UInt8], salt: [UInt8]) throws(SRTPError) {
        guard key.count == profile.keyLength else {
            throw .invalidMasterKey("\(profile) takes a \(profile.keyLength)-byte key, got \(key.count)")
        }
        guard salt.count == profile.saltLength else {
            throw .invalidMasterKey("\(profile) takes a \(profile.saltLength)-byte salt, got \(salt.count)")
        }
        self.profile = profile
        self.key = key
        self.salt = salt
    }
}
