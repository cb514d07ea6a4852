/// Why a packet could not be protected or unprotected, or a context not built. Every
/// input fails with one of these instead of trapping.
public enum SRTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The packet is shorter than its header plus what SRTP adds.
    case tooShort(length: Int, minimum: Int)
    /// Longer than a UDP datagram can be (65,535 bytes): refused so that the AES-CM
    /// block counter (RFC 3711 §4.1.1) never wraps into the index.
    case tooLong(length: Int, maximum: Int)
    /// The RTP or RTCP header is not version 2, or its CSRC list or header extension
    /// (RFC 3550 §5.1, §5.3.1) runs past the packet.
    case malformedHeader(String)
    /// The tag does not match (RFC 3711 §3.3 step 5; RFC 7714 §7.2): tampered, wrong key
    /// or a wrongly estimated index.
    case authenticationFailed
    /// The index was already received inside the replay window (RFC 3711 §3.3.2).
    case replayed(ssrc: UInt32, index: UInt64)
    /// The index is behind the replay window, so it cannot be told from a replay.
    case tooOld(ssrc: UInt32, index: UInt64)
    /// A new SSRC arrived while `SRTPConfiguration.maximumSSRCs` streams are kept.
    case ssrcLimitReached(ssrc: UInt32, limit: Int)
    /// The SRTP index (2^48) or SRTCP index (2^31) of this SSRC is used up: the keys must
    /// be changed before more packets are protected (RFC 3711 §9.2).
    case indexExhausted(ssrc: UInt32)
    /// Exported keying material whose length does not match the profile (RFC 5764 §4.2).
    case keyingMaterialLength(expected: Int, actual: Int)
    /// A master key or salt whose length does not match the profile.
    case invalidMasterKey(String)
    /// A configuration out of its documented range.
    case invalidConfiguration(String)
    /// OpenSSL failed where it should not (an allocation).
    case cryptoFailure(String)

    /// The failure in one line, for logs and reports.
    public var description: String {
        switch self {
        case .tooShort(let length, let minimum): "packet too short: \(length) byte(s), at least \(minimum) needed"
        case .tooLong(let length, let maximum): "packet too long: \(length) byte(s), at most \(maximum)"
        case .malformedHeader(let why): "malformed header: \(why)"
        case .authenticationFailed: "authentication failed"
        case .replayed(let ssrc, let index): "replayed packet: SSRC \(ssrc) index \(index)"
        case .tooOld(let ssrc, let index): "packet behind the replay window: SSRC \(ssrc) index \(index)"
        case .ssrcLimitReached(let ssrc, let limit): "SSRC \(ssrc) refused: \(limit) SSRCs already kept"
        case .indexExhausted(let ssrc): "SSRC \(ssrc) used up its packet index: change the keys"
        case .keyingMaterialLength(let expected, let actual): "keying material of \(actual) byte(s), the profile takes \(expected)"
        case .invalidMasterKey(let why): "invalid master key: \(why)"
        case .invalidConfiguration(let why): "invalid SRTP configuration: \(why)"
        case .cryptoFailure(let why): "OpenSSL failure: \(why)"
        }
    }
}
