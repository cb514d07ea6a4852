import NetTypes

/// A token bucket: `rate` tokens per second, holding at most `burst`. Used over bytes for
/// the per-user relay bandwidth quota (`TURNServerConfiguration.maxBitsPerSecondPerUser`)
/// and over messages for the signaling server's per-client rate limit (`SignalingRooms`).
package struct TokenBucket: Sendable {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: Instant

    /// A full bucket at `now`.
    package init(bytesPerSecond rate: Double, burst: Double, now: Instant) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        last = now
    }

    /// Takes `bytes` if the bucket holds them (after refilling up to `now`); false otherwise.
    package mutating func take(_ bytes: Int, now: Instant) -> Bool {
        if now > last {
            tokens = min(burst, tokens + rate * (now - last).seconds)
            last = now
        }
        guard Double(bytes) <= tokens else { return false }
        tokens -= Double(bytes)
        return true
    }
}
