import NetTypes

/// RTP media clocks (RFC 3550 §5.1): time in units of a payload's clock rate, wrapping at 2^32.
enum RTPClock {
    static func ticks(_ time: Instant, clockRate: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: time.nanoseconds / 1000 * Int64(clockRate) / 1_000_000)
    }
}
