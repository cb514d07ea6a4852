@testable import SRTP
import Testing

/// The index estimate of RFC 3711 Appendix A and the replay window of §3.3.2, at their
/// edges.
@Suite struct IndexAndWindowTests {
    @Test func estimateFollowsAppendixA() {
        // s_l below 2^15: a SEQ far above it is from the previous ROC.
        #expect(SRTPIndex.estimate(sequence: 60_000, highest: 3 << 16 | 100) == 2 << 16 | 60_000)
        #expect(SRTPIndex.estimate(sequence: 200, highest: 3 << 16 | 100) == 3 << 16 | 200)
        // s_l above 2^15: a SEQ far below it is after a wrap.
        #expect(SRTPIndex.estimate(sequence: 5, highest: 3 << 16 | 65_000) == 4 << 16 | 5)
        #expect(SRTPIndex.estimate(sequence: 64_000, highest: 3 << 16 | 65_000) == 3 << 16 | 64_000)
        // ROC 0 has no previous ROC; ROC 2^32 − 1 has no next one.
        #expect(SRTPIndex.estimate(sequence: 60_000, highest: 100) == nil)
        #expect(SRTPIndex.estimate(sequence: 5, highest: SRTPIndex.maximum) == nil)
        #expect(SRTPIndex.estimate(sequence: 65_534, highest: SRTPIndex.maximum) == SRTPIndex.maximum - 1)
    }

    @Test func windowMovesAndForgets() {
        var window = ReplayWindow(size: 64, first: 1_000)
        #expect(window.check(1_000) == .replayed)
        #expect(window.check(937) == .fresh && window.check(936) == .tooOld)
        window.accept(1_003)
        #expect(window.check(1_001) == .fresh && window.check(1_003) == .replayed && window.check(1_000) == .replayed)
        // A jump past the whole window forgets everything behind it.
        window.accept(5_000)
        #expect(window.highest == 5_000)
        #expect(window.check(4_999) == .fresh && window.check(4_936) == .tooOld)
        // The bitmap is a ring: index 74 takes index 10's slot once 10 has left the window.
        var ring = ReplayWindow(size: 64, first: 10)
        ring.accept(70)
        #expect(ring.check(10) == .replayed && ring.check(11) == .fresh && ring.check(69) == .fresh)
        ring.accept(74)
        #expect(ring.check(10) == .tooOld && ring.check(11) == .fresh)
        #expect(ring.check(74) == .replayed && ring.check(70) == .replayed && ring.check(73) == .fresh)
    }
}
