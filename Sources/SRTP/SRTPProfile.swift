/// An SRTP protection profile as DTLS-SRTP negotiates it (RFC 5764 §4.1.2): the cipher,
/// the authentication and the lengths of keys, salts and tags for SRTP and SRTCP.
public enum SRTPProfile: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// `SRTP_AES128_CM_HMAC_SHA1_80` (RFC 5764 §4.1.2): AES-128 in counter mode
    /// (RFC 3711 §4.1.1) and an HMAC-SHA1 tag cut to 80 bits (§4.2.1) for SRTP and SRTCP.
    case aes128CmHmacSha1_80
    /// `SRTP_AEAD_AES_128_GCM` (RFC 7714 §14.2): AES-128-GCM with a 16-byte tag and a
    /// 12-byte salt, no separate authentication key.
    case aeadAes128Gcm

    /// The profile with the DTLS-SRTP protection profile id `id` (RFC 5764 §4.1.2,
    /// RFC 7714 §14.2), or nil for one icelab does not implement.
    public init?(id: UInt16) {
        guard let profile = Self.allCases.first(where: { $0.id == id }) else { return nil }
        self = profile
    }

    /// The protection profile id carried in the use_srtp extension (RFC 5764 §4.1.1).
    public var id: UInt16 {
        switch self {
        case .aes128CmHmacSha1_80: 0x0001
        case .aeadAes128Gcm: 0x0007
        }
    }

    /// The IANA name, as OpenSSL's `SSL_CTX_set_tlsext_use_srtp` takes it.
    public var name: String {
        switch self {
        case .aes128CmHmacSha1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        }
    }

    public var description: String { name }

    /// Master (and session) encryption key length in bytes.
    public var keyLength: Int { 16 }

    /// Master (and session) salt length in bytes: 112 bits for AES-CM (RFC 3711 §8.2),
    /// 96 bits for GCM (RFC 7714 §14.2).
    public var saltLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 14
        case .aeadAes128Gcm: 12
        }
    }

    /// Session authentication key length in bytes (RFC 3711 §8.2: 160 bits for
    /// HMAC-SHA1); 0 for GCM, which authenticates with its own key.
    public var authenticationKeyLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 20
        case .aeadAes128Gcm: 0
        }
    }

    /// Bytes of authentication tag after an SRTP packet.
    public var rtpTagLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 10
        case .aeadAes128Gcm: 16
        }
    }

    /// Bytes of authentication tag after an SRTCP packet: 80 bits for this AES-CM profile
    /// too (RFC 5764 §4.1.2), 16 bytes for GCM.
    public var rtcpTagLength: Int { rtpTagLength }

    /// Bytes SRTP adds to an RTP packet.
    public var rtpOverhead: Int { rtpTagLength }

    /// Bytes SRTCP adds to an RTCP packet: the E-bit and SRTCP index word (RFC 3711 §3.4)
    /// and the tag.
    public var rtcpOverhead: Int { 4 + rtcpTagLength }

    /// Bytes of keying material one side takes from the DTLS exporter: its key and salt.
    var masterLength: Int { keyLength + saltLength }
}
