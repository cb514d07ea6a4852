/// Limits and choices of an `SRTPSender` or `SRTPReceiver`.
public struct SRTPConfiguration: Hashable, Sendable {
    /// Packets a receiver remembers per SSRC for replay protection (RFC 3711 §3.3.2 asks
    /// for at least 64): a multiple of 64 in 64...32,768. The default, 128, is libsrtp's;
    /// raise it for video that reorders far (libwebrtc uses 1,024).
    public var replayWindowSize: Int
    /// SSRCs kept per direction and per kind (RTP, RTCP); a packet of a new SSRC beyond
    /// it fails with `SRTPError.ssrcLimitReached`, so state stays bounded whatever a peer
    /// sends. A receiver only counts SSRCs whose packets authenticated.
    public var maximumSSRCs: Int
    /// Whether a sender encrypts SRTCP (E-bit set, RFC 3711 §3.4) or only authenticates
    /// it. Receivers accept both.
    public var encryptsRTCP: Bool

    public init(replayWindowSize: Int = 128, maximumSSRCs: Int = 64, encryptsRTCP: Bool = true) {
        self.replayWindowSize = replayWindowSize
        self.maximumSSRCs = maximumSSRCs
        self.encryptsRTCP = encryptsRTCP
    }

    /// libwebrtc's choice: a replay window of 1,024 packets, since video reorders further
    /// than libsrtp's default window covers.
    public static let webRTC = SRTPConfiguration(replayWindowSize: 1024)

    func validate() throws(SRTPError) {
        guard (64...32_768).contains(replayWindowSize), replayWindowSize % 64 == 0 else {
            throw .invalidConfiguration("replayWindowSize \(replayWindowSize) is not a multiple of 64 in 64...32768")
        }
        guard maximumSSRCs >= 1 else { throw .invalidConfiguration("maximumSSRCs \(maximumSSRCs) is below 1") }
    }
}
