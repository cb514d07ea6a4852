/// An SRTP protection profile negotiated by the use_srtp extension (RFC 5764 §4.1.2,
/// RFC 7714 §14.2 for the AEAD one).
public enum DTLSSRTPProfile: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2): 128-bit key, 112-bit salt.
    case aes128CMHMACSHA1_80 = 0x0001
    /// SRTP_AEAD_AES_128_GCM (RFC 7714 §14.2): 128-bit key, 96-bit salt.
    case aeadAES128GCM = 0x0007

    /// Bytes of master key plus master salt per direction.
    public var keyLength: Int { 16 }
    public var saltLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80: 14
        case .aeadAES128GCM: 12
        }
    }

    /// What RFC 5764 §4.2 exports: client key, server key, client salt, server salt.
    public var keyingMaterialLength: Int { 2 * (keyLength + saltLength) }

    /// The name the RFCs and OpenSSL's `-use_srtp` use.
    public var description: String {
        switch self {
        case .aes128CMHMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        }
    }
}

/// A key-exchange group of the supported_groups extension (RFC 8422 §5.1.1).
public enum DTLSGroup: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// NIST P-256, uncompressed points (RFC 8422 §5.4.1).
    case secp256r1 = 23
    /// Curve25519 (RFC 7748, RFC 8422 §5.1.1).
    case x25519 = 29

    public var description: String {
        switch self {
        case .secp256r1: "secp256r1"
        case .x25519: "x25519"
        }
    }
}

/// Client or server of the handshake; WebRTC maps SDP's a=setup to it (RFC 8842 §5:
/// active is the client, passive the server).
public enum DTLSRole: Sendable, Hashable {
    case client, server
}
