import NetTypes

/// NTP timestamps as RTCP uses them (RFC 3550 §4): 32.32 fixed-point seconds. Instants
/// map onto them with the epoch at NTP time 0 — only differences matter to RTCP.
public enum NTPTime {
    /// The 64-bit NTP timestamp of `time`.
    public static func timestamp(_ time: Instant) -> UInt64 {
        let ns = UInt64(max(time.nanoseconds, 0))
        let seconds = ns / 1_000_000_000
        let fraction = ((ns % 1_000_000_000) << 32) / 1_000_000_000
        return seconds << 32 | fraction
    }

    /// The middle 32 bits of the NTP timestamp (LSR, DLSR: RFC 3550 §6.4.1), in 1/65536 s.
    public static func compact(_ time: Instant) -> UInt32 {
        UInt32(truncatingIfNeeded: timestamp(time) >> 16)
    }

    /// A span in 1/65536 s units (DLSR) as a duration.
    public static func duration(compact units: UInt32) -> Duration {
        Duration(nanoseconds: (Int64(units) * 1_000_000_000) >> 16)
    }

    /// A duration in 1/65536 s units (DLSR), saturating.
    public static func compact(_ span: Duration) -> UInt32 {
        UInt32(clamping: (min(max(span.nanoseconds, 0), 1 << 46) << 16) / 1_000_000_000)
    }
}
