import NetTypes

/// The 96-bit transaction ID of a STUN message: matches responses to requests.
///
/// Held as two integers (the first 4 and the last 8 bytes in network order) so that
/// hashing and comparing cost two machine words.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0-3 of the ID.
    public var high: UInt32
    /// Bytes 4-11 of the ID.
    public var low: UInt64

    @inlinable public init(high: UInt32, low: UInt64) { self.high = high; self.low = low }

    /// A fresh random ID: 96 bits from `rng` (the core's seeded generator).
    @inlinable public init(using rng: inout Xoshiro256) {
        high = UInt32(truncatingIfNeeded: rng.next() >> 32)
        low = rng.next()
    }

    /// Builds an ID from exactly 12 bytes in network order; nil for other counts.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var h: UInt32 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 4 { h = h << 8 | UInt32(b) } else { l = l << 8 | UInt64(b) }
        }
        high = h; low = l
    }

    /// The 12 bytes in network order.
    public var bytes: [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: high >> (24 - 8 * UInt32($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    /// 24 hex digits.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
