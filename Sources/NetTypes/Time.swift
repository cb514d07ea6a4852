/// A point in virtual (or, in live drivers, monotonic wall) time, in nanoseconds since
/// an arbitrary epoch (the start of a simulation).
///
/// Protocol cores never read a clock: every call that depends on time takes an
/// `Instant` so that the simulator and the live drivers can run the same code.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the epoch.
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The epoch: the start of a simulation. (Computed, like `distantFuture`: a stored
    /// static is a lazily initialised global, read through an accessor call.)
    @inlinable public static var zero: Instant { Instant(nanoseconds: 0) }
    /// Later than any instant a simulation reaches; used as "no deadline".
    @inlinable public static var distantFuture: Instant { Instant(nanoseconds: Int64.max) }

    @inlinable public static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: Instant, d: Duration) -> Instant {
        let (sum, overflow) = a.nanoseconds.addingReportingOverflow(d.nanoseconds)
        if overflow { return d.nanoseconds > 0 ? .distantFuture : Instant(nanoseconds: Int64.min) }
        return Instant(nanoseconds: sum)
    }
    @inlinable public static func - (a: Instant, d: Duration) -> Instant { a + Duration(nanoseconds: -d.nanoseconds) }
    @inlinable public static func - (a: Instant, b: Instant) -> Duration {
        Duration(nanoseconds: a.nanoseconds &- b.nanoseconds)
    }
    @inlinable public static func += (a: inout Instant, d: Duration) { a = a + d }

    /// Seconds since the epoch, for reports.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public var description: String { Duration(nanoseconds: nanoseconds).description }
}

/// A signed span of time in nanoseconds. (This module's `Duration` shadows the
/// standard library's 128-bit one: cores need cheap integer arithmetic.)
public struct Duration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    @inlinable public static var zero: Duration { Duration(nanoseconds: 0) }

    @inlinable public static func nanoseconds(_ n: Int64) -> Duration { Duration(nanoseconds: n) }
    @inlinable public static func microseconds(_ n: Int64) -> Duration { Duration(nanoseconds: n * 1_000) }
    @inlinable public static func milliseconds(_ n: Int64) -> Duration { Duration(nanoseconds: n * 1_000_000) }
    @inlinable public static func seconds(_ n: Int64) -> Duration { Duration(nanoseconds: n * 1_000_000_000) }
    /// Rounds to the nearest nanosecond.
    @inlinable public static func fromSeconds(_ s: Double) -> Duration { Duration(nanoseconds: Int64((s * 1e9).rounded())) }

    @inlinable public static func < (a: Duration, b: Duration) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: Duration, b: Duration) -> Duration { Duration(nanoseconds: a.nanoseconds + b.nanoseconds) }
    @inlinable public static func - (a: Duration, b: Duration) -> Duration { Duration(nanoseconds: a.nanoseconds - b.nanoseconds) }
    @inlinable public static func * (a: Duration, k: Int64) -> Duration { Duration(nanoseconds: a.nanoseconds * k) }
    @inlinable public static func * (a: Duration, k: Double) -> Duration { Duration(nanoseconds: Int64((Double(a.nanoseconds) * k).rounded())) }
    @inlinable public static func / (a: Duration, k: Int64) -> Duration { Duration(nanoseconds: a.nanoseconds / k) }
    @inlinable public static prefix func - (a: Duration) -> Duration { Duration(nanoseconds: -a.nanoseconds) }

    /// The span in seconds, for reports and rate arithmetic.
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    /// The span in milliseconds.
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    /// Text in the largest unit that keeps it exact, as scenario files write it
    /// (`1.5s`, `20ms`, `250us`, `7ns`).
    public var description: String {
        let n = nanoseconds
        if n == 0 { return "0s" }
        let units: [(Int64, String)] = [(1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "us"), (1, "ns")]
        for (scale, suffix) in units where n.magnitude >= UInt64(scale) {
            if n % scale == 0 { return "\(n / scale)\(suffix)" }
            // Up to three decimals of this unit if exact, otherwise fall through. Integer
            // arithmetic only: no overflow and no rounding, whatever the magnitude.
            if n % (scale / 1000) == 0 {
                var decimals = String((n % scale).magnitude / UInt64(scale / 1000))
                while decimals.count < 3 { decimals = "0" + decimals }
                while decimals.hasSuffix("0") { decimals.removeLast() }
                return "\(n / scale).\(decimals)\(suffix)"
            }
        }
        return "\(n)ns"
    }
}
