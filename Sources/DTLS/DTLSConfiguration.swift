import NetTypes
import TLS

/// How a `DTLSEndpoint` handshakes: its role and certificate, the peer's expected
/// fingerprint, what it offers, and its retransmission timer.
public struct DTLSConfiguration: Sendable {
    /// Client or server (RFC 8842 §5 maps a=setup to it).
    public var role: DTLSRole
    /// This side's certificate and key; its fingerprint goes into the local SDP.
    public var identity: TLSIdentity
    /// The fingerprint the peer's certificate must have (the remote SDP's a=fingerprint,
    /// RFC 8122 §5): the only authentication (RFC 8827 §6.5).
    public var remoteFingerprint: DTLSFingerprint
    /// SRTP profiles in order of preference (use_srtp, RFC 5764 §4.1.1). A client offers
    /// them in this order; a server picks its most preferred one the client offers.
    /// Empty: no use_srtp (a data-channel-only association).
    public var srtpProfiles: [DTLSSRTPProfile]
    /// Key-exchange groups in order of preference (x25519 first, as browsers).
    public var groups: [DTLSGroup]
    /// The largest datagram the endpoint sends during the handshake, DTLS header
    /// included (RFC 6347 §4.1.1.1). Browsers use 1200 to stay below any path's MTU.
    public var mtu: Int
    /// The smaller datagram size retransmissions fall back to once
    /// `fallbackAfterRetransmissions` retransmissions of a flight went unanswered: RFC 6347
    /// §4.1.1.1 says an endpoint that does not know the PMTU SHOULD back off to a smaller
    /// record size on repeated retransmissions. 548 is OpenSSL's fallback on IPv4 (576
    /// minus the IP and UDP headers). Nil: always `mtu`.
    public var fallbackMTU: Int?
    /// Unanswered retransmissions of one flight before `fallbackMTU` applies (OpenSSL and
    /// BoringSSL: 2).
    public var fallbackAfterRetransmissions: Int
    /// Whether a server answers a ClientHello without a valid cookie with a
    /// HelloVerifyRequest (RFC 6347 §4.2.1). Off by default: after ICE the peer's address
    /// is verified already (RFC 8445 §7.2.5.2.1), so the cookie only adds a round trip,
    /// and Chrome's server does not send one either. A client always handles it.
    public var cookieExchange: Bool
    /// The first retransmission timeout (RFC 6347 §4.2.4.1: 1 s).
    public var initialRetransmissionTimeout: Duration
    /// The largest timeout after doubling (RFC 6347 §4.2.4.1: at least 60 s).
    public var maximumRetransmissionTimeout: Duration
    /// Retransmissions of one flight before the handshake fails with
    /// `.retransmissionLimit` (with the defaults: 1+2+4+8+16+32+60 s ≈ 2 min).
    public var maximumRetransmissions: Int

    public init(role: DTLSRole, identity: TLSIdentity, remoteFingerprint: DTLSFingerprint,
                srtpProfiles: [DTLSSRTPProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80],
                groups: [DTLSGroup] = [.x25519, .secp256r1], mtu: Int = 1200, fallbackMTU: Int? = 548,
                fallbackAfterRetransmissions: Int = 2, cookieExchange: Bool = false,
                initialRetransmissionTimeout: Duration = .seconds(1), maximumRetransmissionTimeout: Duration = .seconds(60),
                maximumRetransmissions: Int = 6) {
        self.role = role
        self.identity = identity
        self.remoteFingerprint = remoteFingerprint
        self.srtpProfiles = srtpProfiles
        self.groups = groups
        self.mtu = mtu
        self.fallbackMTU = fallbackMTU
        self.fallbackAfterRetransmissions = fallbackAfterRetransmissions
        self.cookieExchange = cookieExchange
        self.initialRetransmissionTimeout = initialRetransmissionTimeout
        self.maximumRetransmissionTimeout = maximumRetransmissionTimeout
        self.maximumRetransmissions = maximumRetransmissions
    }

    /// The smallest MTU: a record header, the AEAD's expansion, a handshake header and
    /// a few bytes of body must fit.
    public static let minimumMTU = 64

    func validate() throws(DTLSError) {
        guard mtu >= Self.minimumMTU else { throw .invalidConfiguration("an MTU of \(mtu) is below \(Self.minimumMTU)") }
        if let fallbackMTU, fallbackMTU < Self.minimumMTU {
            throw .invalidConfiguration("a fallback MTU of \(fallbackMTU) is below \(Self.minimumMTU)")
        }
        guard fallbackAfterRetransmissions >= 0 else { throw .invalidConfiguration("a negative retransmission count before the MTU fallback") }
        guard !groups.isEmpty else { throw .invalidConfiguration("no key-exchange group") }
        guard Set(groups).count == groups.count, Set(srtpProfiles).count == srtpProfiles.count else {
            throw .invalidConfiguration("a group or SRTP profile is listed twice")
        }
        guard initialRetransmissionTimeout > .zero, maximumRetransmissionTimeout >= initialRetransmissionTimeout,
              maximumRetransmissions >= 0 else {
            throw .invalidConfiguration("retransmission timeouts must be positive and the maximum at least the initial")
        }
    }
}
