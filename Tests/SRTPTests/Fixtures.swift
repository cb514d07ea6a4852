@testable import SRTP

/// Packets and keys the SRTP tests share.
enum Fixtures {
    /// A master key of `profile` with distinct bytes, `seed` telling keys apart.
    static func masterKey(_ profile: SRTPProfile, seed: UInt8 = 1) throws -> SRTPMasterKey {
        try SRTPMasterKey(profile: profile, key: (0..<UInt8(profile.keyLength)).map { $0 &* 7 &+ seed },
                          salt: (0..<UInt8(profile.saltLength)).map { $0 &* 13 &+ seed &+ 0x40 })
    }

    /// A sender and a receiver sharing one master key.
    static func pair(_ profile: SRTPProfile, configuration: SRTPConfiguration = SRTPConfiguration()) throws -> (SRTPSender, SRTPReceiver) {
        let key = try masterKey(profile)
        return (try SRTPSender(masterKey: key, configuration: configuration), try SRTPReceiver(masterKey: key, configuration: configuration))
    }

    /// An RTP packet: version 2, payload type 96, `csrcs` contributing sources, an RFC
    /// 8285 one-byte header extension when `extended`, `padding` bytes of RFC 3550 padding.
    static func rtp(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payload: Int = 160, csrcs: Int = 0,
                    extended: Bool = false, padding: UInt8 = 0) -> [UInt8] {
        var packet: [UInt8] = [0x80 | (padding > 0 ? 0x20 : 0) | (extended ? 0x10 : 0) | UInt8(csrcs), 96]
        packet += bytes(UInt32(sequence), count: 2) + bytes(UInt32(sequence) &* 960, count: 4) + bytes(ssrc, count: 4)
        for csrc in 0..<csrcs { packet += bytes(0xC000_0000 + UInt32(csrc), count: 4) }
        if extended { packet += [0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00] }
        packet += (0..<payload).map { UInt8(truncatingIfNeeded: $0 &+ Int(sequence)) }
        if padding > 0 { packet += [UInt8](repeating: 0, count: Int(padding) - 1) + [padding] }
        return packet
    }

    /// An RTCP receiver report of `ssrc` with one report block (RFC 3550 §6.4.2).
    static func rtcp(ssrc: UInt32 = 0x1234_5678) -> [UInt8] {
        [0x81, 201, 0x00, 0x07] + bytes(ssrc, count: 4) + bytes(0xAABB_CCDD, count: 4) + [UInt8](repeating: 0x11, count: 20)
    }

    static func bytes(_ value: UInt32, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
    }
}
