/// Packets expected and lost, counted as RTCP receiver reports count them (RFC 3550
/// §6.4.1, Appendix A.3): expected is the extended highest sequence number received
/// minus the first one plus one, lost is expected minus received. Duplicates count as
/// received, so `lost` can be negative, as RTCP's cumulative number of packets lost can.
///
/// The difference of two counts is the interval between them; a loss figure over any
/// window is `lost / expected` of that window, never a mean of per-interval fractions.
public struct PacketLossCount: Sendable, Equatable {
    public var expected: Int
    public var lost: Int

    public init(expected: Int = 0, lost: Int = 0) {
        self.expected = expected
        self.lost = lost
    }

    /// Lost over expected, 0...1 (negative loss from duplicates counts as none, as RFC
    /// 3550 A.3 does for the fraction lost); nil when nothing was expected.
    public var fraction: Double? {
        expected > 0 ? Double(min(max(lost, 0), expected)) / Double(expected) : nil
    }

    public static func + (a: Self, b: Self) -> Self { Self(expected: a.expected + b.expected, lost: a.lost + b.lost) }
    public static func - (a: Self, b: Self) -> Self { Self(expected: a.expected - b.expected, lost: a.lost - b.lost) }
}
