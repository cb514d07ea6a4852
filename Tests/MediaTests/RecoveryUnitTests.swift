import NetTypes
import RTP
import Testing
@testable import Media

private func at(_ ms: Int64) -> Instant { .zero + .milliseconds(ms) }

/// NACK generation after libwebrtc's NackRequester.
@Suite struct NackTrackerTests {
    @Test func gapIsNackedAtOnceAndRetriedAfterTheRoundTrip() {
        var tracker = NackTracker(maxRetries: 3, maxAge: .seconds(1))
        tracker.onPacket(10, now: at(0))
        tracker.onPacket(13, now: at(5))
        #expect(tracker.due(now: at(5)) == [11, 12])
        #expect(tracker.due(now: at(50)).isEmpty)
        #expect(tracker.nextDeadline == at(105))
        tracker.onPacket(12, now: at(60))
        #expect(tracker.due(now: at(105)) == [11])
        #expect(tracker.isPending(in: 11..<13) && !tracker.isPending(in: 12..<13))
        tracker.clear(through: 11)
        #expect(!tracker.isPending(in: 0..<100))
    }

    @Test func givesUpAfterTheRetriesAndAfterTheMaximumAge() {
        var tracker = NackTracker(maxRetries: 2, maxAge: .seconds(1))
        tracker.onPacket(1, now: at(0))
        tracker.onPacket(3, now: at(0))
        #expect(tracker.due(now: at(0)) == [2])
        #expect(tracker.due(now: at(100)) == [2])
        #expect(tracker.due(now: at(199)).isEmpty)
        #expect(tracker.isPending(in: 0..<3))
        #expect(tracker.due(now: at(200)).isEmpty)
        #expect(!tracker.isPending(in: 0..<3))
        #expect(tracker.givenUp == 1)

        var aging = NackTracker(maxRetries: 100, maxAge: .milliseconds(250))
        aging.onPacket(1, now: at(0))
        aging.onPacket(3, now: at(0))
        _ = aging.due(now: at(0))
        _ = aging.due(now: at(200))
        #expect(aging.due(now: at(300)).isEmpty)
        #expect(aging.givenUp == 1)
    }

    @Test func answeredRequestsMeasureTheRoundTrip() {
        var tracker = NackTracker(maxRetries: 10, maxAge: .seconds(1))
        tracker.onPacket(1, now: at(0))
        tracker.onPacket(3, now: at(0))
        _ = tracker.due(now: at(0))
        tracker.onPacket(2, now: at(20))
        // 7/8 × 100 ms + 1/8 × 20 ms.
        #expect(tracker.roundTripTime == .milliseconds(90))
    }
}

/// The sender's packet history: resend at most once per RTT; culling by age.
@Suite struct RetransmissionHistoryTests {
    static func packet(_ sequence: UInt16) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: 1, payload: [UInt8(truncatingIfNeeded: sequence)])
    }

    @Test func resendsOncePerRoundTrip() {
        var history = RetransmissionHistory()
        for s: UInt16 in 65_530...65_535 { history.add(Self.packet(s), at: at(0), roundTripTime: .milliseconds(100)) }
        history.add(Self.packet(0), at: at(0), roundTripTime: .milliseconds(100))
        #expect(history.retransmission(of: 0, now: at(10), roundTripTime: .milliseconds(100)) == Self.packet(0))
        #expect(history.retransmission(of: 65_531, now: at(10), roundTripTime: .milliseconds(100)) == Self.packet(65_531))
        #expect(history.retransmission(of: 0, now: at(50), roundTripTime: .milliseconds(100)) == nil)
        #expect(history.retransmission(of: 0, now: at(110), roundTripTime: .milliseconds(100)) == Self.packet(0))
        #expect(history.retransmission(of: 1, now: at(110), roundTripTime: .milliseconds(100)) == nil)
    }

    @Test func culledAfterMaxOfOneSecondAndThreeRoundTrips() {
        var history = RetransmissionHistory()
        history.add(Self.packet(0), at: at(0), roundTripTime: .milliseconds(500))
        history.add(Self.packet(1), at: at(1400), roundTripTime: .milliseconds(500))
        #expect(history.count == 2)
        history.add(Self.packet(2), at: at(1600), roundTripTime: .milliseconds(500))
        #expect(history.count == 2)
        #expect(history.retransmission(of: 0, now: at(1600), roundTripTime: .milliseconds(500)) == nil)
    }
}

/// Frame assembly and jitter buffer: ordering, decodability, padding, giving up.
@Suite struct JitterBufferTests {
    /// Frame `n` of `packets` packets from sequence `first`, 30 fps, complete at `completed` ms.
    static func frame(_ n: Int64, first: Int64, packets: Int64 = 1, key: Bool = false, completed: Int64) -> AssembledFrame {
        AssembledFrame(firstSequence: first, lastSequence: first + packets - 1, timestamp: n * 3000, isKeyFrame: key,
                       completed: at(completed), sent: nil)
    }

    @Test func assemblerCompletesFramesFromTheirMarkings() {
        var assembler = FrameAssembler()
        let start = FrameMarking(startOfFrame: true, endOfFrame: false, independent: true)
        let middle = FrameMarking(startOfFrame: false, endOfFrame: false, independent: true)
        let end = FrameMarking(startOfFrame: false, endOfFrame: true, independent: true)
        #expect(assembler.insert(sequence: 7, timestamp: 90, marking: end, sent: nil, now: at(1)) == nil)
        #expect(assembler.insert(sequence: 5, timestamp: 90, marking: start, sent: at(0), now: at(2)) == nil)
        let frame = assembler.insert(sequence: 6, timestamp: 90, marking: middle, sent: nil, now: at(3))
        #expect(frame == AssembledFrame(firstSequence: 5, lastSequence: 7, timestamp: 90, isKeyFrame: true, completed: at(3), sent: at(0)))
        // A late copy of a played frame's packet is ignored; a partial frame counts as dropped.
        #expect(assembler.insert(sequence: 9, timestamp: 180, marking: start, sent: nil, now: at(4)) == nil)
        #expect(assembler.discard(before: 12) == 1)
        #expect(assembler.insert(sequence: 10, timestamp: 180, marking: FrameMarking(startOfFrame: true, endOfFrame: true, independent: false),
                                 sent: nil, now: at(5)) == nil)
    }

    @Test func framesPlayInOrderOnlyWhenDecodable() {
        var buffer = JitterBuffer(configuration: JitterBufferConfiguration())
        // Delta frames before any key frame are dropped.
        buffer.insert(Self.frame(0, first: 0, completed: 0))
        buffer.insert(Self.frame(1, first: 1, packets: 2, key: true, completed: 40))
        buffer.insert(Self.frame(3, first: 4, completed: 100))
        #expect(buffer.pop(now: at(100))?.firstSequence == 1)
        #expect(buffer.framesDropped == 1)
        // Frame 2 (sequence 3) is missing: frame 3 waits behind it.
        #expect(buffer.pop(now: at(200)) == nil)
        #expect(buffer.blockedFrame?.firstSequence == 4)
        buffer.insert(Self.frame(2, first: 3, completed: 210))
        #expect(buffer.pop(now: at(210))?.firstSequence == 3)
        #expect(buffer.pop(now: at(210))?.firstSequence == 4)
    }

    @Test func paddingBridgesTheGapBetweenFrames() {
        var buffer = JitterBuffer(configuration: JitterBufferConfiguration())
        buffer.insert(Self.frame(0, first: 0, key: true, completed: 0))
        #expect(buffer.pop(now: at(0)) != nil)
        buffer.insert(Self.frame(1, first: 3, completed: 33))
        #expect(buffer.pop(now: at(40)) == nil)
        buffer.notePadding(2)
        buffer.notePadding(1)
        #expect(buffer.pop(now: at(40))?.firstSequence == 3)
    }

    @Test func givingUpWaitsForTheNextKeyFrame() {
        var buffer = JitterBuffer(configuration: JitterBufferConfiguration())
        buffer.insert(Self.frame(0, first: 0, key: true, completed: 0))
        _ = buffer.pop(now: at(0))
        buffer.insert(Self.frame(2, first: 2, completed: 66))
        buffer.insert(Self.frame(4, first: 4, key: true, completed: 140))
        buffer.waitForKeyFrame()
        #expect(buffer.framesDropped == 1)
        #expect(buffer.pop(now: at(200))?.firstSequence == 4)
        #expect(!buffer.waitingForKeyFrame)
    }

    @Test func playoutFollowsTimestampsAndTheJitterTarget() {
        var buffer = JitterBuffer(configuration: JitterBufferConfiguration(minDelay: .milliseconds(50), maxDelay: .seconds(2)))
        buffer.insert(Self.frame(0, first: 0, key: true, completed: 10))
        // Smallest transit 10 ms, no jitter yet: due at 0 + 10 + 50 (the minimum delay).
        #expect(buffer.playoutTime(of: Self.frame(0, first: 0, completed: 10)) == at(60))
        #expect(buffer.pop(now: at(59)) == nil)
        #expect(buffer.pop(now: at(60)) != nil)
        var capped = JitterBuffer(configuration: JitterBufferConfiguration(minDelay: .zero, maxDelay: .milliseconds(20)))
        for n: Int64 in 0..<20 { capped.insert(Self.frame(n, first: n, key: n == 0, completed: n * 33 + (n % 2) * 200)) }
        #expect(capped.targetDelay == .milliseconds(20))
    }
}

/// Freezes as W3C webrtc-stats defines them, on constructed render timelines.
@Suite struct RenderStatisticsTests {
    @Test func gapOfThreeFrameDurationsAndMoreThan150msIsAFreeze() {
        var stats = RenderStatistics()
        var time: Int64 = 0
        for _ in 0..<10 { stats.render(at: at(time), captured: at(time - 80)); time += 33 }
        // 33 ms average: a freeze needs ≥ max(99, 183) ms. 150 ms is not one, 200 ms is.
        time += 150 - 33
        stats.render(at: at(time), captured: nil)
        #expect(stats.freezeCount == 0)
        time += 200
        stats.render(at: at(time), captured: nil)
        #expect(stats.freezeCount == 1)
        #expect(stats.freezeDuration == .milliseconds(200))
        #expect(stats.framesRendered == 12)
        #expect(stats.firstRender == at(0))
        #expect(stats.frameDelay.values.allSatisfy { $0 == 80 } && stats.frameDelay.count == 10)
    }

    @Test func slowFrameRatesFreezeOnlyAtThreeIntervals() {
        var stats = RenderStatistics()
        // 5 fps: average 200 ms, a freeze needs ≥ max(600, 350) ms.
        for i: Int64 in 0..<8 { stats.render(at: at(i * 200), captured: nil) }
        stats.render(at: at(7 * 200 + 599), captured: nil)
        #expect(stats.freezeCount == 0)
        stats.render(at: at(7 * 200 + 599 + 900), captured: nil)
        #expect(stats.freezeCount == 1)
    }

    @Test func aStallAfterTheFirstFramesIsAFreezeButTheFirstIntervalIsNot() {
        var stats = RenderStatistics()
        // Nothing to average the first interval against.
        stats.render(at: at(0), captured: nil)
        stats.render(at: at(500), captured: nil)
        #expect(stats.freezeCount == 0)
        stats.render(at: at(533), captured: nil)
        // Average (500 + 33) / 2 = 266.5 ms: a freeze needs ≥ 799.5 ms.
        stats.render(at: at(533 + 799), captured: nil)
        #expect(stats.freezeCount == 0)
        stats.render(at: at(533 + 799 + 2000), captured: nil)
        #expect(stats.freezeCount == 1 && stats.freezeDuration == .seconds(2))
    }
}
