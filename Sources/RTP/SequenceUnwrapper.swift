/// Extends wrapping sequence numbers (16-bit RTP and transport-wide sequence numbers,
/// 24-bit feedback reference times) to 64 bits: each value is placed closest to the
/// previous one, so reordering within half the range and any number of wraps work.
public struct SequenceUnwrapper: Sendable {
    private let bits: Int64
    private var last: Int64?

    /// An unwrapper for `bits`-bit counters (1...32).
    public init(bits: Int = 16) {
        precondition((1...32).contains(bits))
        self.bits = Int64(bits)
    }

    /// The unwrapped value of `value`, which is taken modulo 2^bits.
    public mutating func unwrap(_ value: UInt32) -> Int64 {
        let modulus = Int64(1) << bits
        let v = Int64(value) & (modulus - 1)
        guard let last else { self.last = v; return v }
        var delta = (v - last) & (modulus - 1)
        if delta >= modulus / 2 { delta -= modulus }
        let result = last + delta
        self.last = result
        return result
    }
}
