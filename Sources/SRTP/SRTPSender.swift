/// Protects what one endpoint sends: SRTP for RTP packets, SRTCP for RTCP compound
/// packets (RFC 3711 §3.3, §3.4; RFC 7714 §8, §9), under the endpoint's local master key.
///
/// One sender serves every SSRC the endpoint sends (up to
/// `SRTPConfiguration.maximumSSRCs`), keeping per SSRC the highest SRTP index protected,
/// from which the rollover counter follows (RFC 3711 §3.3.1: the ROC steps when the
/// sequence number wraps), and the next SRTCP index. Sans-IO and deterministic: the
/// same packets give the same bytes. A reference type holding OpenSSL contexts, not
/// `Sendable`; one per endpoint and direction.
public final class SRTPSender {
    private let transforms: SRTPTransforms
    /// Highest SRTP index protected, per SSRC.
    private var rtpIndices: [UInt32: UInt64] = [:]
    /// Next SRTCP index, per SSRC.
    private var rtcpIndices: [UInt32: UInt32] = [:]

    public var profile: SRTPProfile { transforms.profile }
    public var configuration: SRTPConfiguration { transforms.configuration }

    /// A sender protecting with `masterKey` (the local key of `SRTPKeyingMaterial`).
    public convenience init(masterKey: SRTPMasterKey, configuration: SRTPConfiguration = SRTPConfiguration()) throws(SRTPError) {
        self.init(transforms: try SRTPTransforms(masterKey: masterKey, configuration: configuration, sealing: true))
    }

    init(transforms: SRTPTransforms) { self.transforms = transforms }

    /// Turns the RTP packet in `packet` into its SRTP packet in place: payload (and
    /// padding) encrypted, header with CSRCs and extensions in clear, tag appended
    /// (`profile.rtpOverhead` bytes). On error `packet` is unchanged.
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        let length = packet.count
        try Self.checkLength(length, minimum: 12, overhead: profile.rtpOverhead)
        try SRTPPacketLayout.withRoom(for: profile.rtpOverhead, after: &packet) { (buffer) throws(SRTPError) in
            let header = try SRTPPacketLayout.rtpHeaderLength(buffer, length: length)
            let ssrc = SRTPPacketLayout.uint32(buffer, at: 8)
            let sequence = SRTPPacketLayout.uint16(buffer, at: 2)
            let index = try nextRTPIndex(ssrc: ssrc, sequence: sequence)
            guard transforms.rtp.sealRTP(buffer, length: length, headerLength: header, ssrc: ssrc, index: index) else {
                throw .cryptoFailure("SRTP encryption failed")
            }
            rtpIndices[ssrc] = max(index, rtpIndices[ssrc] ?? 0)
        }
    }

    /// The SRTP packet of the RTP packet `packet`.
    public func protectRTP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try SRTPPacketLayout.copy(packet, growing: profile.rtpOverhead, by: protectRTP)
    }

    /// Turns the RTCP compound packet in `packet` into its SRTCP packet in place: all but
    /// the first 8 bytes encrypted when `configuration.encryptsRTCP`, the E-bit and SRTCP
    /// index and the tag appended (`profile.rtcpOverhead` bytes). On error `packet` is
    /// unchanged.
    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        let length = packet.count
        try Self.checkLength(length, minimum: 8, overhead: profile.rtcpOverhead)
        try SRTPPacketLayout.withRoom(for: profile.rtcpOverhead, after: &packet) { (buffer) throws(SRTPError) in
            try SRTPPacketLayout.checkRTCPVersion(buffer)
            let ssrc = SRTPPacketLayout.uint32(buffer, at: 4)
            let index = rtcpIndices[ssrc] ?? 1
            guard index <= 0x7FFF_FFFF else { throw .indexExhausted(ssrc: ssrc) }
            if rtcpIndices[ssrc] == nil, rtcpIndices.count >= configuration.maximumSSRCs {
                throw .ssrcLimitReached(ssrc: ssrc, limit: configuration.maximumSSRCs)
            }
            guard transforms.rtcp.sealRTCP(buffer, length: length, ssrc: ssrc, index: index, encrypt: configuration.encryptsRTCP) else {
                throw .cryptoFailure("SRTCP encryption failed")
            }
            rtcpIndices[ssrc] = index + 1
        }
    }

    /// The SRTCP packet of the RTCP compound packet `packet`.
    public func protectRTCP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try SRTPPacketLayout.copy(packet, growing: profile.rtcpOverhead, by: protectRTCP)
    }

    /// The SRTP index for `sequence` on `ssrc`, estimated against the highest protected
    /// so far as a receiver will (RFC 3711 §3.3.1), so a sequence number wrap steps the ROC.
    private func nextRTPIndex(ssrc: UInt32, sequence: UInt16) throws(SRTPError) -> UInt64 {
        guard let highest = rtpIndices[ssrc] else {
            guard rtpIndices.count < configuration.maximumSSRCs else {
                throw .ssrcLimitReached(ssrc: ssrc, limit: configuration.maximumSSRCs)
            }
            return UInt64(sequence)
        }
        guard let index = SRTPIndex.estimate(sequence: sequence, highest: highest) else {
            throw highest >> 16 == UInt32.max ? .indexExhausted(ssrc: ssrc) : .tooOld(ssrc: ssrc, index: UInt64(sequence))
        }
        return index
    }

    static func checkLength(_ length: Int, minimum: Int, overhead: Int) throws(SRTPError) {
        guard length >= minimum else { throw .tooShort(length: length, minimum: minimum) }
        guard length + overhead <= SRTPPacketLayout.maximumLength else {
            throw .tooLong(length: length, maximum: SRTPPacketLayout.maximumLength - overhead)
        }
    }
}
