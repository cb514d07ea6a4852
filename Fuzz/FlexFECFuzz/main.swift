#if canImport(Glibc)
import Glibc
#endif
import NetTypes
import RTP

/// Source packets 1...24 of SSRC 0xAABBCCDD (sizes, markers, extensions and padding
/// vary), of which a decoder receives all but 3, 7, 8 and 20, so that repairs from the
/// fuzzer land on present and missing packets alike.
enum FuzzFixtures {
    static let ssrc: UInt32 = 0xAABB_CCDD

    static let sources: [[UInt8]] = (1...24).map { n in
        let extensions = n % 3 == 0 ? RTPHeaderExtensions(elements: [.init(id: 3, data: [UInt8(n), 7])]) : nil
        return RTPPacket(marker: n % 4 == 0, payloadType: 96, sequenceNumber: UInt16(n), timestamp: 3000 * UInt32(n / 4), ssrc: ssrc,
                         extensions: extensions, payload: (0..<(20 + 7 * n % 50)).map { UInt8(truncatingIfNeeded: $0 * n) },
                         paddingLength: n % 5 == 0 ? 3 : 0).encoded()
    }

    static let lost: Set<Int> = [3, 7, 8, 20]

    /// Writes genuine repairs (every mask length, fixed rows and columns, two SSRCs, the
    /// retransmission variant) into `FLEXFEC_FUZZ_SEEDS` when set.
    static func writeSeeds() {
        guard let directory = getenv("FLEXFEC_FUZZ_SEEDS").map({ String(cString: $0) }) else { return }
        let protections: [FlexFECHeader.Protection] = [
            .flexible(FlexFECMask(offsets: [2, 4, 9])), .flexible(FlexFECMask(offsets: [6, 7, 30])),
            .flexible(FlexFECMask(offsets: [1, 19, 60])), .fixed(columns: 4, rows: 0), .fixed(columns: 4, rows: 1), .fixed(columns: 4, rows: 5),
        ]
        var seeds = protections.map { protection in
            let used = protection.offsets.filter { $0 < 24 }.map { sources[$0] }
            return FlexFECEncoder.repair(of: used, blocks: [.init(ssrc: ssrc, sequenceBase: 1, protection: protection)])
                .packet(ssrc: 7, payloadType: 98, sequenceNumber: 1, timestamp: 0).encoded()
        }
        seeds.append(RTPPacket(payloadType: 98, sequenceNumber: 2, timestamp: 0, ssrc: 7, payload: sources[2]).encoded())
        for (i, seed) in seeds.enumerated() {
            guard let file = fopen("\(directory)/seed-\(i)", "wb") else { continue }
            _ = seed.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
    }
}

/// libFuzzer entry point: the input is one FlexFEC RTP packet. Properties: decoding never
/// traps and refuses with a typed `RTPError`; a decoded repair re-encodes to a packet that
/// decodes to the same repair; a decoder holding the fixture's packets never traps on it,
/// and what it recovers is a version-2 RTP packet of the protected stream with a
/// sequence number it did not hold — and, for a packet the fixture has, exactly that packet
/// when the repair was genuine (checked by the seeds, not here: a mutated repair recovers
/// garbage by design).
@_cdecl("LLVMFuzzerTestOneInput")
public func flexfecFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let packet = try? RTPPacket(decoding: bytes), let payload = try? FlexFECPayload(decoding: packet),
          case .repair(let repair) = payload else { return 0 }
    let again = try? FlexFECRepair(decoding: RTPPacket(decoding: repair.packet(ssrc: packet.ssrc, payloadType: packet.payloadType,
                                                                                sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp).encoded()))
    precondition(again == repair, "a decoded repair did not survive re-encoding")
    var decoder = FlexFECDecoder(ssrc: FuzzFixtures.ssrc, repairWindow: .seconds(1))
    for (i, source) in FuzzFixtures.sources.enumerated() where !FuzzFixtures.lost.contains(i + 1) {
        _ = decoder.receiveSource(source, sequenceNumber: UInt16(i + 1), now: .zero)
    }
    for recovered in decoder.receiveRepair(repair, now: .zero) {
        precondition(recovered.count >= 12 && recovered[0] >> 6 == 2, "a recovered packet without an RTP version 2 header")
        precondition(recovered[8...11].elementsEqual([0xAA, 0xBB, 0xCC, 0xDD]), "a recovered packet of another stream")
        let sequence = Int(UInt16(recovered[2]) << 8 | UInt16(recovered[3]))
        precondition(!(1...24).contains(sequence) || FuzzFixtures.lost.contains(sequence), "recovered a packet the decoder held")
    }
    return 0
}

/// libFuzzer calls this once before the first input.
@_cdecl("LLVMFuzzerInitialize")
public func flexfecFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzFixtures.writeSeeds()
    return 0
}
