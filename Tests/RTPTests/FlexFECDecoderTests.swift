import NetTypes
import Testing
@testable import RTP

/// Recovery (RFC 8627 §6.3) on the loss patterns of the RFC's figures: 1-D rows and
/// columns, the 2-D iterative decoding of Figures 16-18, and the patterns 2-D cannot repair.
@Suite struct FlexFECDecoderTests {
    static let ssrc: UInt32 = 0xAABB_CCDD

    /// Source packet `n` of a stream from `first`: sizes, markers and timestamps differ,
    /// one packet in three has a header extension and every fifth RTP padding, so every
    /// recovered field is checked.
    static func source(_ n: Int, first: UInt16 = 1) -> [UInt8] {
        let extensions = n % 3 == 0 ? RTPHeaderExtensions(elements: [.init(id: 3, data: [UInt8(n), 7])]) : nil
        return RTPPacket(marker: n % 4 == 0, payloadType: 96, sequenceNumber: first &+ UInt16(n - 1), timestamp: 3000 * UInt32(n / 4),
                         ssrc: ssrc, extensions: extensions, payload: (0..<(20 + 7 * n % 50)).map { UInt8(truncatingIfNeeded: $0 * n) },
                         paddingLength: n % 5 == 0 ? 3 : 0).encoded()
    }

    /// The repairs of a D × L block of packets 1...L·D (Figures 3 and 4): a row repair per
    /// row (F = 1, D = 1: columns follow) and a column repair per column.
    static func repairs(columns l: Int, rows d: Int, first: UInt16 = 1) -> (rows: [FlexFECRepair], columns: [FlexFECRepair]) {
        let rows = (0..<d).map { r in
            FlexFECEncoder.repair(of: (1...l).map { source(r * l + $0, first: first) },
                                  blocks: [.init(ssrc: ssrc, sequenceBase: first &+ UInt16(r * l), protection: .fixed(columns: UInt8(l), rows: 1))])
        }
        let columns = (0..<l).map { c in
            FlexFECEncoder.repair(of: (0..<d).map { source($0 * l + c + 1, first: first) },
                                  blocks: [.init(ssrc: ssrc, sequenceBase: first &+ UInt16(c), protection: .fixed(columns: UInt8(l), rows: UInt8(d)))])
        }
        return (rows, columns)
    }

    /// Feeds packets 1...12 but `lost`, then `repairs`; returns what was recovered, by packet number.
    static func decode(lost: Set<Int>, repairs: [FlexFECRepair], first: UInt16 = 1) -> [Int: [UInt8]] {
        var decoder = FlexFECDecoder(ssrc: ssrc, repairWindow: .seconds(1))
        var recovered: [[UInt8]] = []
        for n in 1...12 where !lost.contains(n) { recovered += decoder.receiveSource(source(n, first: first), sequenceNumber: first &+ UInt16(n - 1), now: .zero) }
        for repair in repairs { recovered += decoder.receiveRepair(repair, now: .zero) }
        #expect(decoder.recovered == recovered.count)
        return Dictionary(uniqueKeysWithValues: recovered.map { bytes in (Int(UInt16(bytes[2]) << 8 | UInt16(bytes[3]) &- first) + 1, bytes) })
    }

    /// Figure 16: 1, 2, 10 and 11 lost; rows 1 and 3 miss two each, so the first pass
    /// recovers 1 and 11 from columns 1 and 3, the second 2 and 10 from rows 1 and 3
    /// (Figures 17, 18): all four, byte for byte.
    @Test func twoDimensionalDecodingIsIterative() {
        let (rows, columns) = Self.repairs(columns: 4, rows: 3)
        let recovered = Self.decode(lost: [1, 2, 10, 11], repairs: rows + columns)
        #expect(recovered.keys.sorted() == [1, 2, 10, 11])
        for (n, bytes) in recovered { #expect(bytes == Self.source(n)) }
    }

    /// Figure 7: 2, 3, 10, 11 lost — two per row in rows 1 and 3, two per column in columns
    /// 2 and 3: 2-D protection recovers nothing.
    @Test func twoDimensionalFailsOnFigure7() {
        let (rows, columns) = Self.repairs(columns: 4, rows: 3)
        #expect(Self.decode(lost: [2, 3, 10, 11], repairs: rows + columns).isEmpty)
    }

    /// Figure 5: a burst of 2 and 3 defeats row repairs; Figure 6: 2 and 6 in one column
    /// defeat column repairs — and each 1-D form repairs what the other cannot.
    @Test func rowsRepairRandomLossColumnsRepairBursts() {
        let (rows, columns) = Self.repairs(columns: 4, rows: 3)
        #expect(Self.decode(lost: [2, 3], repairs: rows).isEmpty)
        #expect(Self.decode(lost: [2, 3], repairs: columns).keys.sorted() == [2, 3])
        #expect(Self.decode(lost: [2, 6], repairs: columns).isEmpty)
        #expect(Self.decode(lost: [2, 6], repairs: rows).keys.sorted() == [2, 6])
    }

    /// Every single loss of a 12-packet flexible-mask repair comes back exactly, across the
    /// sequence number wrap (SN base 65530).
    @Test func flexibleMaskAcrossTheWrap() {
        let first: UInt16 = 65_530
        let repair = FlexFECEncoder.repair(of: (1...12).map { Self.source($0, first: first) },
                                           blocks: [.init(ssrc: Self.ssrc, sequenceBase: first, protection: .flexible(FlexFECMask(offsets: 0..<12)))])
        for lost in 1...12 {
            let recovered = Self.decode(lost: [lost], repairs: [repair], first: first)
            #expect(recovered == [lost: Self.source(lost, first: first)])
        }
        #expect(Self.decode(lost: [3, 4], repairs: [repair], first: first).isEmpty)
    }

    /// A repair missing two packets waits; when one of them arrives late (a retransmission)
    /// the other is recovered.
    @Test func lateSourceCompletesAWaitingRepair() {
        var decoder = FlexFECDecoder(ssrc: Self.ssrc, repairWindow: .milliseconds(100))
        let repair = FlexFECEncoder.repair(of: (1...4).map { Self.source($0) },
                                           blocks: [.init(ssrc: Self.ssrc, sequenceBase: 1, protection: .fixed(columns: 4, rows: 0))])
        var recovered: [[UInt8]] = []
        for n in [1, 4] { recovered += decoder.receiveSource(Self.source(n), sequenceNumber: UInt16(n), now: .zero) }
        recovered += decoder.receiveRepair(repair, now: .zero)
        #expect(recovered.isEmpty)
        let completed = decoder.receiveSource(Self.source(2), sequenceNumber: 2, now: .zero + .milliseconds(50))
        #expect(completed == [Self.source(3)])
        // Past the repair window the repair is gone.
        var late = FlexFECDecoder(ssrc: Self.ssrc, repairWindow: .milliseconds(100))
        for n in [1, 4] { _ = late.receiveSource(Self.source(n), sequenceNumber: UInt16(n), now: .zero) }
        _ = late.receiveRepair(repair, now: .zero)
        let expired = late.receiveSource(Self.source(2), sequenceNumber: 2, now: .zero + .milliseconds(101))
        #expect(expired.isEmpty)
    }

    @Test func repairsForOtherStreamsOrFarAwayAreIgnored() {
        var decoder = FlexFECDecoder(ssrc: Self.ssrc, repairWindow: .seconds(1))
        _ = decoder.receiveSource(Self.source(1), sequenceNumber: 1, now: .zero)
        let other = FlexFECEncoder.repair(of: [Self.source(2)], blocks: [.init(ssrc: 9, sequenceBase: 2, protection: .flexible(FlexFECMask(offsets: [0])))])
        let far = FlexFECEncoder.repair(of: [Self.source(2)],
                                        blocks: [.init(ssrc: Self.ssrc, sequenceBase: 30_000, protection: .flexible(FlexFECMask(offsets: [0])))])
        let ignored = decoder.receiveRepair(other, now: .zero) + decoder.receiveRepair(far, now: .zero)
        #expect(ignored.isEmpty)
        #expect(decoder.ignoredRepairs == 2)
        // A repair of one packet is a copy of it.
        let copy = FlexFECEncoder.repair(of: [Self.source(2)],
                                         blocks: [.init(ssrc: Self.ssrc, sequenceBase: 2, protection: .flexible(FlexFECMask(offsets: [0])))])
        let copied = decoder.receiveRepair(copy, now: .zero)
        #expect(copied == [Self.source(2)])
    }
}
