/// xoshiro256** (Blackman and Vigna, 2018): the simulation's only source of randomness.
///
/// Fast (a few instructions per number), 256 bits of state, passes BigCrush. Seeded
/// through SplitMix64 so that any 64-bit seed, including 0, gives a good state.
/// `stream(_:)` derives independent generators (per link, per host) from one seed so that
/// adding a component does not shift the random numbers of the others.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// A generator seeded from `seed`.
    public init(seed: UInt64) {
        var sm = seed
        s0 = Xoshiro256.splitMix(&sm)
        s1 = Xoshiro256.splitMix(&sm)
        s2 = Xoshiro256.splitMix(&sm)
        s3 = Xoshiro256.splitMix(&sm)
    }

    /// A generator for sub-stream `id` of `seed`: independent of other ids' streams.
    public static func stream(seed: UInt64, id: UInt64) -> Xoshiro256 {
        var sm = seed ^ 0x6A09_E667_F3BC_C909
        let a = splitMix(&sm)
        var mix = id &* 0x9E37_79B9_7F4A_7C15 ^ a
        return Xoshiro256(seed: splitMix(&mix))
    }

    @usableFromInline static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1) with 53 bits of precision.
    @inlinable public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    @inlinable public mutating func chance(_ p: Double) -> Bool {
        p > 0 && nextUnit() < p
    }
}
