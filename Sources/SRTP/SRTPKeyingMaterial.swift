/// The two master keys of a DTLS-SRTP association, split from the exporter's output by
/// DTLS role (RFC 5764 §4.2).
///
/// The exporter ("EXTRACTOR-dtls_srtp", 2 × (key + salt) bytes) yields
/// `client_write_key || server_write_key || client_write_salt || server_write_salt`.
/// The client protects what it sends with the client's key and salt and unprotects with
/// the server's; the server the other way round.
public struct SRTPKeyingMaterial: Hashable, Sendable {
    /// The endpoint's role in the DTLS handshake.
    public enum Role: Hashable, Sendable { case client, server }

    /// Protects what this endpoint sends (`SRTPSender`).
    public let local: SRTPMasterKey
    /// Unprotects what the peer sends (`SRTPReceiver`).
    public let remote: SRTPMasterKey

    /// Splits `exported` (exactly `SRTPKeyingMaterial.length(for:)` bytes) for `role`;
    /// throws `SRTPError.keyingMaterialLength` for any other length.
    public init(exported: [UInt8], profile: SRTPProfile, role: Role) throws(SRTPError) {
        let keyLength = profile.keyLength, saltLength = profile.saltLength
        guard exported.count == Self.length(for: profile) else {
            throw .keyingMaterialLength(expected: Self.length(for: profile), actual: exported.count)
        }
        let client = try SRTPMasterKey(profile: profile, key: Array(exported[0..<keyLength]),
                                       salt: Array(exported[2 * keyLength..<2 * keyLength + saltLength]))
        let server = try SRTPMasterKey(profile: profile, key: Array(exported[keyLength..<2 * keyLength]),
                                       salt: Array(exported[(2 * keyLength + saltLength)...]))
        (local, remote) = role == .client ? (client, server) : (server, client)
    }

    /// Bytes to ask the DTLS exporter for (RFC 5764 §4.2): 2 × (key + salt), 60 for
    /// AES-CM, 56 for GCM.
    public static func length(for profile: SRTPProfile) -> Int { 2 * profile.masterLength }

    /// This endpoint's SRTP contexts: a sender with the local key, a receiver with the
    /// remote one, both with `configuration`.
    public func contexts(configuration: SRTPConfiguration = .webRTC) throws(SRTPError) -> (sender: SRTPSender, receiver: SRTPReceiver) {
        (try SRTPSender(masterKey: local, configuration: configuration), try SRTPReceiver(masterKey: remote, configuration: configuration))
    }
}
