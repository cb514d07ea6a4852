/// Unprotects what the peer sends: SRTP packets back to RTP, SRTCP back to RTCP (RFC 3711
/// §3.3, §3.4; RFC 7714 §8, §9), under the peer's master key.
///
/// Keeps per SSRC a replay window (RFC 3711 §3.3.2) whose highest index also gives the
/// rollover counter for index estimation (§3.3.1, Appendix A). State for an SSRC is made
/// by its first packet that authenticates, never by one that does not, and at most
/// `SRTPConfiguration.maximumSSRCs` per kind are kept, so memory stays bounded whatever
/// arrives. A reference type holding OpenSSL contexts, not `Sendable`; one per endpoint
/// and direction.
public final class SRTPReceiver {
    private let transforms: SRTPTransforms
    private var rtpWindows: [UInt32: ReplayWindow] = [:]
    private var rtcpWindows: [UInt32: ReplayWindow] = [:]

    public var profile: SRTPProfile { transforms.profile }
    public var configuration: SRTPConfiguration { transforms.configuration }

    /// A receiver unprotecting with `masterKey` (the remote key of `SRTPKeyingMaterial`).
    public convenience init(masterKey: SRTPMasterKey, configuration: SRTPConfiguration = SRTPConfiguration()) throws(SRTPError) {
        self.init(transforms: try SRTPTransforms(masterKey: masterKey, configuration: configuration, sealing: false))
    }

    init(transforms: SRTPTransforms) { self.transforms = transforms }

    /// Turns the SRTP packet in `packet` back into its RTP packet in place: tag checked
    /// and removed, payload decrypted, the index recorded against replays. On error
    /// `packet` is unchanged and no state changed.
    public func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        let tag = profile.rtpTagLength
        try Self.checkLength(packet.count, minimum: 12 + tag)
        try packet.withUnsafeMutableBufferPointer { (buffer) throws(SRTPError) in
            let header = try SRTPPacketLayout.rtpHeaderLength(buffer, length: buffer.count - tag)
            let ssrc = SRTPPacketLayout.uint32(buffer, at: 8)
            let sequence = SRTPPacketLayout.uint16(buffer, at: 2)
            let window = rtpWindows[ssrc]
            let index: UInt64
            if let window {
                guard let estimated = SRTPIndex.estimate(sequence: sequence, highest: window.highest) else {
                    throw window.highest >> 16 == UInt32.max ? .indexExhausted(ssrc: ssrc) : .tooOld(ssrc: ssrc, index: UInt64(sequence))
                }
                index = estimated
                try Self.check(window, index: index, ssrc: ssrc)
            } else {
                // The first packet of a stream: ROC 0 (RFC 3711 §3.3.1).
                index = UInt64(sequence)
                try checkRoom(rtpWindows.count, ssrc: ssrc)
            }
            guard transforms.rtp.openRTP(buffer, headerLength: header, ssrc: ssrc, index: index) else { throw .authenticationFailed }
            record(&rtpWindows, ssrc: ssrc, index: index)
        }
        packet.removeLast(tag)
    }

    /// The RTP packet of the SRTP packet `packet`.
    public func unprotectRTP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try SRTPPacketLayout.copy(packet, growing: 0, by: unprotectRTP)
    }

    /// Turns the SRTCP packet in `packet` back into its RTCP compound packet in place:
    /// tag checked, E-bit and index word and tag removed, the rest decrypted when the
    /// E-bit is set (RFC 3711 §3.4), the index recorded against replays. On error
    /// `packet` is unchanged and no state changed.
    public func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        let overhead = profile.rtcpOverhead
        try Self.checkLength(packet.count, minimum: 8 + overhead)
        try packet.withUnsafeMutableBufferPointer { (buffer) throws(SRTPError) in
            try SRTPPacketLayout.checkRTCPVersion(buffer)
            let ssrc = SRTPPacketLayout.uint32(buffer, at: 4)
            let word = SRTPPacketLayout.uint32(buffer, at: transforms.rtcp.rtcpWordOffset(count: buffer.count))
            let index = UInt64(word & 0x7FFF_FFFF)
            if let window = rtcpWindows[ssrc] {
                try Self.check(window, index: index, ssrc: ssrc)
            } else {
                try checkRoom(rtcpWindows.count, ssrc: ssrc)
            }
            guard transforms.rtcp.openRTCP(buffer, ssrc: ssrc, word: word) else { throw .authenticationFailed }
            record(&rtcpWindows, ssrc: ssrc, index: index)
        }
        packet.removeLast(overhead)
    }

    /// The RTCP compound packet of the SRTCP packet `packet`.
    public func unprotectRTCP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try SRTPPacketLayout.copy(packet, growing: 0, by: unprotectRTCP)
    }

    private static func checkLength(_ length: Int, minimum: Int) throws(SRTPError) {
        guard length >= minimum else { throw .tooShort(length: length, minimum: minimum) }
        guard length <= SRTPPacketLayout.maximumLength else {
            throw .tooLong(length: length, maximum: SRTPPacketLayout.maximumLength)
        }
    }

    private static func check(_ window: ReplayWindow, index: UInt64, ssrc: UInt32) throws(SRTPError) {
        switch window.check(index) {
        case .fresh: return
        case .replayed: throw .replayed(ssrc: ssrc, index: index)
        case .tooOld: throw .tooOld(ssrc: ssrc, index: index)
        }
    }

    private func checkRoom(_ kept: Int, ssrc: UInt32) throws(SRTPError) {
        guard kept < configuration.maximumSSRCs else { throw .ssrcLimitReached(ssrc: ssrc, limit: configuration.maximumSSRCs) }
    }

    private func record(_ windows: inout [UInt32: ReplayWindow], ssrc: UInt32, index: UInt64) {
        if windows[ssrc] == nil {
            windows[ssrc] = ReplayWindow(size: configuration.replayWindowSize, first: index)
        } else {
            windows[ssrc]!.accept(index)
        }
    }
}
