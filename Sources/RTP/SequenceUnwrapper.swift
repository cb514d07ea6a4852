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
        guard let last else {
            let v = Int64(value) & ((Int64(1) << bits) - 1)
            self.last = v
            return v
        }
        let result = Self.closest(value, to: last, bits: Int(bits))
        self.last = result
        return result
    }

    /// The value congruent to `value` modulo 2^bits that lies closest to `reference`
    /// (half the range below it up to just under half above): where a wrapping number
    /// falls beside a known unwrapped one, without an unwrapper's state.
    public static func closest(_ value: UInt32, to reference: Int64, bits: Int = 16) -> Int64 {
        let modulus = Int64(1) << Int64(bits)
        var delta = (Int64(value) - reference) & (modulus - 1)
        if delta >= modulus / 2 { delta -= modulus }
        return reference + delta
    }
}
