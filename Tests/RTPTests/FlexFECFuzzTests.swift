import NetTypes
import Testing
@testable import RTP

/// Mutated and random FlexFEC packets: decoding returns or throws a typed error, never
/// traps; what decodes re-encodes to a packet that decodes the same; a decoder fed
/// whatever decodes never traps and recovers only packets with a full RTP header.
@Suite struct FlexFECFuzzTests {
    /// Valid repairs to mutate: the worked two-packet repair, and repairs with 46- and
    /// 110-bit masks, a fixed column and two SSRCs.
    static var seeds: [[UInt8]] {
        let sources = (1...12).map { FlexFECDecoderTests.source($0) }
        let ssrc = FlexFECDecoderTests.ssrc
        let protections: [FlexFECHeader.Protection] = [.flexible(FlexFECMask(offsets: [0, 40])), .flexible(FlexFECMask(offsets: [1, 11, 100])),
                                                       .fixed(columns: 4, rows: 3), .fixed(columns: 3, rows: 0)]
        var seeds = [FlexFECHeaderTests.repairBytes]
        for protection in protections {
            let used = protection.offsets.filter { $0 < 12 }.map { sources[$0] }
            let repair = FlexFECEncoder.repair(of: used, blocks: [.init(ssrc: ssrc, sequenceBase: 1, protection: protection)])
            seeds.append(repair.packet(ssrc: 7, payloadType: 98, sequenceNumber: 1, timestamp: 0).encoded())
        }
        let two = FlexFECRepair(header: FlexFECHeader(flagsRecovery: 5, lengthRecovery: 6, timestampRecovery: 7, blocks: [
            .init(ssrc: ssrc, sequenceBase: 3, protection: .flexible(FlexFECMask(offsets: [0]))),
            .init(ssrc: 9, sequenceBase: 4, protection: .flexible(FlexFECMask(offsets: [20]))),
        ]), payload: [1, 2, 3])
        seeds.append(two.packet(ssrc: 7, payloadType: 98, sequenceNumber: 1, timestamp: 0).encoded())
        return seeds
    }

    static func mutate(_ bytes: [UInt8], _ rng: inout Xoshiro256) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !out.isEmpty {
            let i = Int.random(in: 0..<out.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: out[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: out[i] = UInt8.random(in: 0...255, using: &rng)
            case 2: out.remove(at: i)
            default: out.removeSubrange(i..<min(out.count, i + Int.random(in: 1...16, using: &rng)))
            }
        }
        return out
    }

    /// Checks one input: decode, re-encode, feed a decoder holding packets 1...12 but 3 and 7.
    static func check(_ bytes: [UInt8], counts: inout (decoded: Int, rejected: Int)) {
        guard let packet = try? RTPPacket(decoding: bytes) else { counts.rejected += 1; return }
        let payload: FlexFECPayload
        do throws(RTPError) { payload = try FlexFECPayload(decoding: packet) } catch { counts.rejected += 1; return }
        counts.decoded += 1
        guard case .repair(let repair) = payload else { return }
        let again = repair.packet(ssrc: packet.ssrc, payloadType: packet.payloadType, sequenceNumber: packet.sequenceNumber,
                                  timestamp: packet.timestamp)
        #expect((try? FlexFECRepair(decoding: RTPPacket(decoding: again.encoded()))) == repair)
        var decoder = FlexFECDecoder(ssrc: FlexFECDecoderTests.ssrc, repairWindow: .seconds(1))
        for n in 1...12 where n != 3 && n != 7 {
            _ = decoder.receiveSource(FlexFECDecoderTests.source(n), sequenceNumber: UInt16(n), now: .zero)
        }
        for recovered in decoder.receiveRepair(repair, now: .zero) { #expect(recovered.count >= 12 && recovered[0] >> 6 == 2) }
    }

    @Test func mutatedRepairsNeverTrap() {
        var rng = Xoshiro256(seed: 8627)
        var counts = (decoded: 0, rejected: 0)
        let seeds = Self.seeds
        for round in 0..<3000 { Self.check(Self.mutate(seeds[round % seeds.count], &rng), counts: &counts) }
        #expect(counts.decoded > 100 && counts.rejected > 100)
    }

    @Test func randomBytesNeverTrap() {
        var rng = Xoshiro256(seed: 5)
        var counts = (decoded: 0, rejected: 0)
        for _ in 0..<3000 {
            // An RTP header with CC 1, then random FEC bytes.
            let header: [UInt8] = [0x81, 98, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0xAA, 0xBB, 0xCC, 0xDD]
            Self.check(header + (0..<Int.random(in: 0..<48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, counts: &counts)
        }
        #expect(counts.decoded > 0 && counts.rejected > 0)
    }
}
