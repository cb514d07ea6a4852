import NetTypes

/// A token bucket over bytes: `rate` bytes per second, holding at most `burst` bytes. Used
/// for the per-user relay bandwidth quota (`TURNServerConfiguration.maxBitsPerSecondPerUser`).
struct TokenBucket {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: Instant

    /// A full bucket at `now`.
    init(bytesPerSecond rate: Double, burst: Double, now: Instant) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        last = now
    }

    /// Takes `bytes` if the bucket holds them (after refilling up to `now`); false otherwise.
    mutating func take(_ bytes: Int, now: Instant) -> Bool {
        if now > last {
            tokens = min(burst, tokens + rate * (now - last).seconds)
            last = now
        }
        guard Double(bytes) <= tokens else { return false }
        tokens -= Double(bytes)
        return true
    }
}
