import Congestion
import NetTypes
import RTP
import Scenario
import Testing
@testable import Media

/// The sender's FlexFEC blocks: which packets each repair protects, per mask form.
@Suite struct FECGeneratorTests {
    static func packet(_ sequence: UInt16, marker: Bool = false) -> [UInt8] {
        RTPPacket(marker: marker, payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: 7, payload: [UInt8(truncatingIfNeeded: sequence)]).encoded()
    }

    /// Feeds packets `first...` with a frame end every `frame` packets until a block closes.
    static func firstBlock(_ configuration: FECConfiguration, frame: Int = 1000, first: UInt16 = 10) -> [FlexFECRepair] {
        var generator = FECGenerator(configuration: configuration, ssrc: 7)
        for i in 0..<2000 {
            let repairs = generator.add(packet(first &+ UInt16(i)), sequenceNumber: first &+ UInt16(i), endOfFrame: (i + 1) % frame == 0)
            if !repairs.isEmpty { return repairs }
        }
        return []
    }

    static func protected(_ repairs: [FlexFECRepair]) -> [[UInt16]] { repairs.map { $0.header.blocks[0].sequenceNumbers } }

    /// Rate 0.2 over a 10-packet frame: 2 repairs; random splits the frame in halves,
    /// bursty interleaves it.
    @Test func flexibleMasksSplitOrInterleaveTheFrame() {
        let random = Self.firstBlock(FECConfiguration(rate: 0.2, mask: .random), frame: 10)
        #expect(Self.protected(random) == [[10, 11, 12, 13, 14], [15, 16, 17, 18, 19]])
        let bursty = Self.firstBlock(FECConfiguration(rate: 0.2, mask: .bursty), frame: 10)
        #expect(Self.protected(bursty) == [[10, 12, 14, 16, 18], [11, 13, 15, 17, 19]])
        #expect(random.allSatisfy { $0.header.blocks[0].sequenceBase == 10 && !$0.header.isFixed })
    }

    /// Small frames gather until the block earns a repair (round(n × 0.1) ≥ 1, here at the
    /// end of the third 2-packet frame);
    /// a block without frame ends closes at 48 packets.
    @Test func smallFramesShareABlock() {
        #expect(Self.protected(Self.firstBlock(FECConfiguration(rate: 0.1), frame: 2)) == [Array(10...15)])
        let long = Self.firstBlock(FECConfiguration(rate: 0.01))
        #expect(Self.protected(long) == [Array(10...57)])
    }

    @Test func fixedFormsFollowFigure14() {
        let rows = Self.firstBlock(FECConfiguration(rate: 0.25, mask: .row))
        #expect(Self.protected(rows) == [[10, 11, 12, 13]])
        #expect(rows[0].header.blocks[0].protection == .fixed(columns: 4, rows: 0))
        let columns = Self.firstBlock(FECConfiguration(mask: .column, columns: 3, rows: 2))
        #expect(Self.protected(columns) == [[10, 13], [11, 14], [12, 15]])
        let grid = Self.firstBlock(FECConfiguration(mask: .twoDimensional, columns: 3, rows: 2))
        #expect(Self.protected(grid) == [[10, 11, 12], [13, 14, 15], [10, 13], [11, 14], [12, 15]])
        #expect(grid.map(\.header.blocks[0].protection) == [.fixed(columns: 3, rows: 1), .fixed(columns: 3, rows: 1),
                                                            .fixed(columns: 3, rows: 2), .fixed(columns: 3, rows: 2), .fixed(columns: 3, rows: 2)])
    }

    /// Blocks cover consecutive sequence numbers, across the wrap.
    @Test func blocksRunAcrossTheWrap() {
        let rows = Self.firstBlock(FECConfiguration(rate: 0.25, mask: .row), first: 65_534)
        #expect(Self.protected(rows) == [[65_534, 65_535, 0, 1]])
        var generator = FECGenerator(configuration: FECConfiguration(rate: 0.25, mask: .row), ssrc: 7)
        var repairs: [FlexFECRepair] = []
        // A gap after 3 starts a new block at 5.
        for sequence: UInt16 in [1, 2, 3, 5, 6, 7] { repairs += generator.add(Self.packet(sequence), sequenceNumber: sequence, endOfFrame: false) }
        #expect(repairs.isEmpty)
        let closing = generator.add(Self.packet(8), sequenceNumber: 8, endOfFrame: false)
        #expect(Self.protected(closing) == [[5, 6, 7, 8]])
    }
}

/// FlexFEC end to end over a lossy link with a long round trip (150 ms one way): repairs
/// bring packets back without waiting for a NACK's round trip, cost bandwidth the
/// controller sees, and change nothing when off.
@Suite struct FECCallTests {
    static func call(seed: UInt64 = 1, loss: Double, recovery: RecoveryConfiguration, seconds: Int64 = 15) -> SimulatedCall {
        let call = SimulatedCall(seed: seed, capacity: .mbps(2), latency: .milliseconds(150), loss: loss, recovery: recovery)
        call.run(for: .seconds(seconds))
        return call
    }

    static func fec(_ mask: FECConfiguration.Mask = .random, rate: Double = 0.2, nack: Bool = false) -> RecoveryConfiguration {
        var recovery = RecoveryConfiguration(nack: nack, rtx: nack, keyFrameRequests: true)
        recovery.fec = FECConfiguration(rate: rate, mask: mask)
        return recovery
    }

    @Test func fecAloneRepairsMostLoss() throws {
        let plain = try #require(Self.call(loss: 0.05, recovery: RecoveryConfiguration(keyFrameRequests: true)).receiver.videoMetrics)
        let call = Self.call(loss: 0.05, recovery: Self.fec())
        let video = try #require(call.receiver.videoMetrics)
        #expect(video.packetsRecoveredByFEC > 30)
        #expect(video.framesRendered > plain.framesRendered * 3 / 2)
        let residual = try #require(video.residualLoss), raw = try #require(plain.residualLoss)
        #expect(residual < raw / 3)
        #expect(call.sender.metrics.fecPackets > 0 && call.sender.metrics.retransmittedPackets == 0 && video.nacksSent == 0)
        #expect(call.receiver.fecMalformed == 0)
        // Repairs are paced and counted: about a fifth of the video packets, in the sent rate.
        let ratio = Double(call.sender.metrics.fecPackets) / Double(video.packetsExpected)
        #expect(ratio > 0.15 && ratio < 0.35)
    }

    /// Every mask form repairs most of 5 % loss (without FEC 5 % of the packets stay lost).
    @Test(arguments: [FECConfiguration.Mask.bursty, .row, .column, .twoDimensional])
    func everyMaskFormRepairs(mask: FECConfiguration.Mask) throws {
        let video = try #require(Self.call(loss: 0.05, recovery: Self.fec(mask)).receiver.videoMetrics)
        #expect(video.packetsRecoveredByFEC > 20)
        #expect(try #require(video.residualLoss) < 0.015)
    }

    /// With NACK too, FEC answers first when NACKs wait a little: fewer requests and
    /// retransmissions than NACK alone, nothing left lost.
    @Test func withNackFecRepairsBeforeTheRequest() throws {
        var recovery = Self.fec(nack: true)
        recovery.nackDelay = .milliseconds(100)
        let call = Self.call(loss: 0.05, recovery: recovery)
        let video = try #require(call.receiver.videoMetrics)
        let nackOnly = Self.call(loss: 0.05, recovery: RecoveryConfiguration(nack: true, rtx: true, keyFrameRequests: true))
        #expect(video.packetsRecoveredByFEC > 20)
        let nacked = try #require(nackOnly.receiver.videoMetrics).packetsNacked
        #expect(video.packetsNacked < nacked * 2 / 3)
        #expect(call.sender.metrics.retransmittedPackets < nackOnly.sender.metrics.retransmittedPackets * 2 / 3)
        #expect(try #require(video.residualLoss) < 0.002)
    }

    @Test func fecIsDeterministic() {
        let first = Self.call(seed: 4, loss: 0.02, recovery: Self.fec(.twoDimensional), seconds: 5)
        let second = Self.call(seed: 4, loss: 0.02, recovery: Self.fec(.twoDimensional), seconds: 5)
        #expect(first.receiver.videoMetrics == second.receiver.videoMetrics)
        #expect(first.sender.metrics == second.sender.metrics)
    }
}
