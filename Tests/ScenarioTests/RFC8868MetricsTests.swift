import NetTypes
import RTP
import Records
import Testing
@testable import Scenario

/// The metrics of RFC 8868 §3 from the exact 200 ms rates: the interval counters, goodput,
/// statistical measures, convergence time, oscillations, throughput ratios at timescales,
/// and the expectations over them.
@Suite struct RFC8868MetricsTests {
    static let interval = FlowSeries.rateInterval

    /// A flow whose 200 ms sending and received rates are `rates` (one per interval, from 0 s),
    /// at a capacity of `capacity` (changing to `capacityAfter` at `change`).
    static func flow(_ label: String = "call/0", rates: [Double], capacity: Double = 1_000_000,
                     change: (at: Duration, to: Double)? = nil) -> FlowSeries {
        var flow = FlowSeries(label: label)
        for (i, rate) in rates.enumerated() {
            let time = interval * Int64(i + 1)
            flow.append(FlowSeries.Name.sent200ms, rate, at: time)
            flow.append(FlowSeries.Name.received200ms, rate, at: time)
            flow.append(FlowSeries.Name.received, rate, at: time)
            flow.append(FlowSeries.Name.goodput200ms, rate * 0.9, at: time)
            let bottleneck = change.map { time >= $0.at ? $0.to : capacity } ?? capacity
            flow.append(FlowSeries.Name.capacity, bottleneck, at: time)
            flow.append(FlowSeries.Name.utilization200ms, rate / bottleneck, at: time)
        }
        return flow
    }

    // MARK: Counters

    @Test func intervalsCloseAtTheirEndsAlignedToTheStart() {
        let start = Instant.zero + .milliseconds(37)
        var counters = FlowIntervalCounters(start: start)
        var closed: [FlowIntervalCounters.Interval] = []
        func at(_ ms: Int64, sent: Int = 0, received: Int = 0) {
            counters.close(through: start + .milliseconds(ms)) { closed.append($0) }
            counters.add(sent: sent, received: received, goodput: received / 2)
        }
        at(0, sent: 100)
        at(199, sent: 10, received: 40)
        at(200, sent: 1)           // the next interval: [200 ms, 400 ms)
        at(900, received: 8)       // closes [200, 400), and the empty [400, 600) and [600, 800)
        #expect(closed.map(\.end) == [200, 400, 600, 800].map { start + .milliseconds($0) })
        #expect(closed.map(\.sent) == [110, 1, 0, 0] && closed.map(\.received) == [40, 0, 0, 0] && closed.map(\.goodput) == [20, 0, 0, 0])
    }

    static func rtp(_ sequence: UInt16, ssrc: UInt32 = 0x5649_4400, payload: Int = 100, padding: UInt8 = 0) -> (RTPLogRecord, [UInt8]) {
        let bytes = RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: ssrc,
                              payload: Array(repeating: 1, count: payload), paddingLength: padding).encoded()
        return (try! RTPLogRecord(packet: bytes, time: .zero), bytes)
    }

    static func rtx(original: UInt16, sequence: UInt16, payload: Int) -> (RTPLogRecord, [UInt8]) {
        let bytes = RTPPacket(payloadType: 97, sequenceNumber: sequence, timestamp: 0, ssrc: 0x5254_5800,
                              payload: [UInt8(original >> 8), UInt8(original & 0xFF)] + Array(repeating: 2, count: payload), paddingLength: 4).encoded()
        return (try! RTPLogRecord(packet: bytes, time: .zero), bytes)
    }

    /// Goodput counts each media sequence number once, from the stream or restored from
    /// RTX, and no padding, duplicate or other stream.
    @Test func goodputCountsEachMediaPacketOnce() {
        var tracker = GoodputTracker(mediaSSRC: 0x5649_4400, rtxSSRC: 0x5254_5800)
        func new(_ packet: (RTPLogRecord, [UInt8])) -> Int { tracker.newPayload(packet.0, bytes: packet.1) }
        #expect(new(Self.rtp(65_534)) == 100)
        #expect(new(Self.rtp(1, payload: 50)) == 50)                      // 65535 and 0 missing (across the wrap)
        #expect(new(Self.rtp(1, payload: 50)) == 0)                       // duplicate
        #expect(new(Self.rtx(original: 65_535, sequence: 7, payload: 30)) == 30)
        #expect(new(Self.rtx(original: 65_535, sequence: 8, payload: 30)) == 0)   // a second retransmission
        #expect(new(Self.rtp(65_535)) == 0)                               // the late original
        #expect(new(Self.rtp(0, payload: 0, padding: 200)) == 0)          // padding only
        #expect(new(Self.rtx(original: 0, sequence: 9, payload: 0)) == 0) // RTX padding: no original
        #expect(new(Self.rtp(0, payload: 20, padding: 3)) == 20)          // padding not counted
        #expect(new(Self.rtp(2, ssrc: 0x4155_4401)) == 0)                 // another stream
    }

    /// Sequence numbers more than the window behind the highest count as none.
    @Test func goodputForgetsPacketsOlderThanItsWindow() {
        var tracker = GoodputTracker(mediaSSRC: 0x5649_4400, rtxSSRC: nil)
        let counted = [5_000, 20_000, 40_000, 15_000, 5_000, 40_000].map { sequence in
            let packet = Self.rtp(UInt16(sequence))
            return tracker.newPayload(packet.0, bytes: packet.1)
        }
        #expect(counted == [100, 100, 100, 100, 0, 0])
    }

    /// A packet FEC rebuilt is goodput once: not again when its original arrives late,
    /// and not when the original had arrived already.
    @Test func goodputCountsFECRecoveredPacketsOnce() {
        var tracker = GoodputTracker(mediaSSRC: 0x5649_4400, rtxSSRC: nil)
        let first = Self.rtp(10), late = Self.rtp(11)
        #expect(tracker.newPayload(first.0, bytes: first.1) == 100)
        #expect(tracker.recoveredPayload(sequenceNumber: 11, payloadSize: 100) == 100)
        #expect(tracker.newPayload(late.0, bytes: late.1) == 0)
        #expect(tracker.recoveredPayload(sequenceNumber: 10, payloadSize: 100) == 0)
    }

    @Test func goodputWithoutRTXIgnoresTheRTXSSRC() {
        var tracker = GoodputTracker(mediaSSRC: 0x5649_4400, rtxSSRC: nil)
        let packet = Self.rtx(original: 5, sequence: 1, payload: 30)
        #expect(tracker.newPayload(packet.0, bytes: packet.1) == 0)
    }

    // MARK: Metrics

    @Test func statisticsArePopulationMeasures() throws {
        let s = try #require(SeriesStatistics([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(s.count == 8 && s.minimum == 2 && s.maximum == 9 && s.mean == 5 && s.variance == 4 && s.standardDeviation == 2)
        #expect(SeriesStatistics([]) == nil)
        let part = try #require(Self.flow(rates: [1, 2, 3, 4, 5, 6]).statistics(FlowSeries.Name.sent200ms, in: TimeWindow(from: .milliseconds(400), to: .seconds(1))))
        #expect(part.count == 3 && part.mean == 3 && part.value(.max) == 4)
    }

    /// Ramp for 1 s, then steady within ±10 %: converged at 1 s after the start; after a
    /// drop at 3 s, converged when the new level holds.
    @Test func convergenceIsTheFirstHeldInterval() {
        let ramp: [Double] = [100, 200, 400, 800, 1600]
        let steady = (0..<10).map { 1000 + ($0 % 2 == 0 ? 90 : -90) } as [Double]
        let drop = [900, 700, 500] + Array(repeating: 400, count: 10) as [Double]
        let flow = Self.flow(rates: ramp + steady + drop)
        #expect(flow.intervalSpan == Duration.zero...Duration.milliseconds(5600))
        #expect(flow.convergenceTime(after: .zero) == .seconds(1))
        #expect(flow.convergenceTime(after: .seconds(3)) == .milliseconds(600))
        // A tighter band is never met by the ±9 % wobble, but by the flat tail.
        #expect(flow.convergenceTime(after: .zero, criterion: ConvergenceCriterion(tolerance: 0.05, hold: .seconds(2))) == .milliseconds(3600))
        #expect(flow.convergenceTime(after: .zero, criterion: ConvergenceCriterion(tolerance: 0.05, hold: .seconds(3))) == nil)
    }

    @Test func oscillationsCountSwingsAcrossBothWatermarksWithinTheWindow() {
        let mbps = 1_000_000.0
        // low→high (200 ms): 1; high→low (400 ms): 2; low→mid→high over 600 ms: none; high→low: 3.
        let flow = Self.flow(rates: [0.4, 2.5, 1, 0.3, 0.4, 1, 1, 2, 0.5].map { $0 * mbps })
        #expect(flow.oscillations() == 3)
        #expect(flow.oscillations(OscillationCriterion(low: 0.5 * mbps, high: 2 * mbps, window: .seconds(1))) == 4)
        #expect(flow.oscillations(in: TimeWindow(from: .milliseconds(500))) == 1)
        #expect(FlowSeries(label: "x").oscillations() == nil)
    }

    @Test func windowsAverageTheIntervalsEndingInThem() {
        let windows = ThroughputWindows(origin: .zero, timescale: .seconds(1), end: .milliseconds(2900))
        #expect(windows.count == 2 && windows.span(1) == .seconds(1)...(.seconds(2)))
        let a = Self.flow(rates: [1, 1, 1, 1, 6, 2, 2, 2, 2, 2, 9]).timedValues(FlowSeries.Name.received200ms)
        let b = Self.flow(rates: Array(repeating: 2, count: 11)).timedValues(FlowSeries.Name.received200ms)
        #expect(windows.means(a) == [2, 2])
        #expect(windows.ratios(a, b) == [1, 1])
        #expect(windows.means([]) == [nil, nil])
    }

    /// The smallest slower-over-faster ratio over windows where no capacity changed.
    @Test func staticWindowRatiosSkipCapacityChanges() {
        // Flow a gets 600 kbps then (after the capacity change at 2 s) 100 kbps; b 300 kbps throughout.
        let a = Self.flow("a/0", rates: Array(repeating: 600_000, count: 10) + Array(repeating: 100_000, count: 20), change: (.seconds(2), 500_000))
        let b = Self.flow("b/0", rates: Array(repeating: 300_000, count: 30), change: (.seconds(2), 500_000))
        let audio = FlowSeries(label: "c/0")
        let tcp = (1...60).map { (time: Duration.milliseconds(Int64($0) * 100), value: 900_000.0) }
        let ratios = StaticWindowRatios(flows: [a, b, audio], tcpGoodput: [tcp])
        // 1 s windows: 0.5 before the change, the window holding it skipped, 1/3 after.
        #expect(ratios.worstMediaRatio(timescale: .seconds(1)).map { ($0 * 1000).rounded() } == 333)
        #expect(ratios.worstMediaRatio(timescale: .seconds(20)) == nil)
        #expect(ratios.worstTCPRatio(timescale: .seconds(1)).map { ($0 * 1000).rounded() } == 111)
        #expect(StaticWindowRatios(flows: [a], tcpGoodput: []).worstMediaRatio(timescale: .seconds(1)) == nil)
    }

    // MARK: Expectations

    static func verdict(_ expect: String, flows: [String: [FlowSeries]], tcp: [String: MediaExpectations.Samples] = [:]) throws -> (passed: Bool, message: String) {
        let e = try #require(try MediaParsingTests.scenario(expect: "[\(expect)]").mediaExpectations.first)
        let result = MediaExpectations.evaluate(e, flows: flows, tcpGoodput: tcp)
        return (result.passed, result.message)
    }

    static var twoFlows: [String: [FlowSeries]] {
        ["call": [Self.flow(rates: Array(repeating: 900_000, count: 50))], "other": [Self.flow("other/0", rates: Array(repeating: 300_000, count: 50))]]
    }

    @Test func newExpectationsParseWithRFCDefaults() throws {
        let m = try MediaParsingTests.scenario(expect: """
        [{ session: call, convergence-time: { within: 5s } },
         { session: call, convergence-time: { after: 40s, within: 3s, tolerance: 10%, hold: 1s } },
         { session: call, oscillations: { at-most: 2 } },
         { session: call, oscillations: { low: 1Mbps, high: 4Mbps, window: 1s, from: 10s, at-most: 0 } },
         { session: call, statistic: { series: sent_200ms_bps, measure: stddev, from: 20s, to: 40s, at-most: 200kbps } },
         { sessions: [call, other], throughput-ratio: { timescale: 5s, at-least: 0.333, at-most: 3 } }]
        """).mediaExpectations
        guard case .convergence(let after, let within, let standard) = m[0].check else { Issue.record("\(m[0].check)"); return }
        #expect(after == nil && within == .seconds(5) && standard == .standard)
        guard case .convergence(let after40, let within3, let c) = m[1].check else { Issue.record("\(m[1].check)"); return }
        #expect(after40 == .seconds(40) && within3 == .seconds(3) && abs(c.tolerance - 0.1) < 1e-12 && c.hold == .seconds(1))
        guard case .oscillations(.standard, TimeWindow(), 2) = m[2].check else { Issue.record("\(m[2].check)"); return }
        guard case .oscillations(let o, let w, 0) = m[3].check else { Issue.record("\(m[3].check)"); return }
        #expect(o == OscillationCriterion(low: 1_000_000, high: 4_000_000, window: .seconds(1)) && w == TimeWindow(from: .seconds(10)))
        guard case .statistic(FlowSeries.Name.sent200ms, .stddev, let sw, let range) = m[4].check else { Issue.record("\(m[4].check)"); return }
        #expect(sw == TimeWindow(from: .seconds(20), to: .seconds(40)) && range == -Double.infinity...200_000)
        guard case .throughputRatio(let rw, let bounds, let timescale) = m[5].check else { Issue.record("\(m[5].check)"); return }
        #expect(rw == TimeWindow() && bounds == 0.333...3 && timescale == .seconds(5))
    }

    @Test func newExpectationsAreValidatedWithPositions() {
        func error(_ e: String) -> String { MediaParsingTests.error(expect: "[\(e)]") }
        #expect(error("{ session: call, convergence-time: { within: 5s, hold: 300ms } }").contains("hold must be a positive multiple of 200 ms"))
        #expect(error("{ session: call, convergence-time: { within: 5s, tolerance: 0% } }").contains("above 0%"))
        #expect(error("{ session: call, convergence-time: { after: 5s } }").contains("'within'"))
        #expect(error("{ session: call, oscillations: { low: 2Mbps, high: 1Mbps, at-most: 1 } }").contains("low < high"))
        #expect(error("{ session: call, oscillations: { at-most: -1 } }").contains("-1"))
        #expect(error("{ session: call, statistic: { series: sent_200ms_bps, measure: median, at-most: 1 } }").contains("median"))
        #expect(error("{ session: call, statistic: { series: sent_200_bps, measure: mean, at-most: 1 } }").contains("did you mean 'sent_200ms_bps'?"))
        #expect(error("{ session: call, statistic: { series: sent_200ms_bps, measure: mean } }").contains("at-least and/or at-most"))
        #expect(error("{ session: other, statistic: { series: utilization_200ms, measure: mean, at-least: 50% } }").contains("'bottleneck: LINK'"))
        #expect(error("{ sessions: [call, other], throughput-ratio: { timescale: 1500ms, at-least: 0.5 } }").contains("multiple of 200 ms"))
        #expect(error("{ session: call, cross-traffic: bulk, throughput-ratio: { at-least: 0.5 } }").contains("no TCP cross-traffic flow is called 'bulk'"))
        #expect(error("{ session: call, cross-traffic: bulk, loss-below: 1% }").contains("'cross-traffic' belongs to throughput-ratio"))
        #expect(error("{ session: call, cross-traffic: bulk, connected-within: 1s }").contains("'cross-traffic' belongs to throughput-ratio"))
        #expect(error("{ sessions: [call, other], cross-traffic: bulk, throughput-ratio: { at-least: 0.5 } }").contains("name one 'session'"))
        #expect(error("{ session: call, convergence-time: { within: 5s, hold: 300ms } }").hasPrefix("media.yaml:"))
    }

    @Test func convergenceOscillationAndStatisticVerdicts() throws {
        let flows = ["call": [Self.flow(rates: [100_000, 400_000] + Array(repeating: 1_000_000, count: 20) + [3_000_000, 100_000])]]
        let converged = try Self.verdict("{ session: call, convergence-time: { within: 1s } }", flows: flows)
        #expect(converged.passed && converged.message.contains("converged (±20.0% for 2s) 400"), "\(converged.message)")
        #expect(try !Self.verdict("{ session: call, convergence-time: { within: 200ms } }", flows: flows).passed)
        let never = try Self.verdict("{ session: call, convergence-time: { after: 4s, within: 10s } }", flows: flows)
        #expect(!never.passed && never.message.contains("never stayed within"), "\(never.message)")
        let swings = try Self.verdict("{ session: call, oscillations: { at-most: 0 } }", flows: flows)
        #expect(!swings.passed && swings.message.contains("1 swing(s)"), "\(swings.message)")
        let mean = try Self.verdict("{ session: call, statistic: { series: sent_200ms_bps, measure: mean, from: 1s, to: 3s, at-least: 1Mbps, at-most: 1Mbps } }", flows: flows)
        #expect(mean.passed && mean.message.contains("over 10 samples"), "\(mean.message)")
        let share = try Self.verdict("{ session: call, statistic: { series: utilization_200ms, measure: min, from: 1s, to: 3s, at-least: 99% } }", flows: flows)
        #expect(share.passed && share.message.contains("100.0%"), "\(share.message)")
    }

    @Test func throughputRatioAtATimescaleJudgesEveryWindow() throws {
        let ratio = try Self.verdict("{ sessions: [call, other], throughput-ratio: { timescale: 1s, from: 2s, to: 8s, at-least: 0.333, at-most: 3 } }",
                                     flows: Self.twoFlows)
        #expect(ratio.passed && ratio.message.contains("3.0...3.0") && ratio.message.contains("6 of 6 windows"), "\(ratio.message)")
        let tight = try Self.verdict("{ sessions: [call, other], throughput-ratio: { timescale: 5s, at-most: 2 } }", flows: Self.twoFlows)
        #expect(!tight.passed && tight.message.contains("0 of 2 windows"), "\(tight.message)")
        let none = try Self.verdict("{ sessions: [call, other], throughput-ratio: { timescale: 20s, at-most: 2 } }", flows: Self.twoFlows)
        #expect(!none.passed && none.message.contains("no whole 20s window"), "\(none.message)")
    }

    /// A flow that starts at 3.4 s: windows start with it, so none holds part of its start.
    @Test func throughputRatioWindowsStartWithTheLaterFlow() throws {
        var late = FlowSeries(label: "other/0")
        for i in 1...33 { late.append(FlowSeries.Name.received200ms, 300_000, at: .milliseconds(3400 + Int64(i) * 200)) }
        let flows = ["call": Self.twoFlows["call"]!, "other": [late]]
        let ratio = try Self.verdict("{ sessions: [call, other], throughput-ratio: { timescale: 1s, at-least: 3, at-most: 3 } }", flows: flows)
        #expect(ratio.passed && ratio.message.contains("6 of 6 windows"), "\(ratio.message)")
    }

    @Test func throughputRatioAgainstTCPCrossTraffic() throws {
        let expectations = try MediaParsingTests.scenario(expect: """
        [{ session: call, cross-traffic: bulk, throughput-ratio: { timescale: 1s, at-least: 0.5, at-most: 2 } },
         { session: call, cross-traffic: bulk, throughput-ratio: { from: 1s, at-least: 2 } }]
        """, crossTraffic: "[{ kind: tcp-bulk, name: bulk, from: alice, to: bob }]").mediaExpectations
        let tcp = ["bulk": (1...100).map { (time: Duration.milliseconds(Int64($0) * 100), value: 600_000.0) }]
        let flows = ["call": [Self.flow(rates: Array(repeating: 900_000, count: 50))]]
        let windows = MediaExpectations.evaluate(expectations[0], flows: flows, tcpGoodput: tcp)
        #expect(windows.passed && windows.message.contains("call/0 / TCP bulk") && windows.message.contains("10 of 10 windows"), "\(windows.message)")
        #expect(windows.description.contains("cross-traffic: bulk"))
        let mean = MediaExpectations.evaluate(expectations[1], flows: flows, tcpGoodput: tcp)
        #expect(!mean.passed && mean.message.contains("received rate ratio"), "\(mean.message)")
    }
}
