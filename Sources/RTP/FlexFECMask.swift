/// The flexible mask of a FlexFEC repair packet (RFC 8627 §4.2.2.1): bit j set means the
/// source packet with sequence number SN base + j is protected, j = 0 the most significant
/// bit. On the wire the mask is 15, 46 or 110 bits long, split into blocks of 15, 31 and
/// 64 bits; the k-bit before each of the first two blocks is 1 when another block follows
/// and 0 on the last (§4.2.2.1). Encoding picks the shortest length that holds every set bit.
public struct FlexFECMask: Hashable, Sendable {
    /// Bits a mask can hold: the 110-bit form.
    public static let capacity = 110
    /// The mask lengths the k-bits select, shortest first.
    public static let lengths = [15, 46, 110]

    /// Bits 0-63 (bit 0 the most significant) and 64-109 (in the top 46 bits).
    private var high: UInt64 = 0
    private var low: UInt64 = 0

    public init() {}

    /// A mask with the bits at `offsets` (each in 0..<110) set.
    public init(offsets: some Sequence<Int>) {
        for offset in offsets { insert(offset) }
    }

    /// Whether bit `offset` is set.
    public func contains(_ offset: Int) -> Bool {
        guard (0..<Self.capacity).contains(offset) else { return false }
        return offset < 64 ? high & (1 << (63 - offset)) != 0 : low & (1 << (127 - offset)) != 0
    }

    /// Sets bit `offset` (0..<110).
    public mutating func insert(_ offset: Int) {
        precondition((0..<Self.capacity).contains(offset), "a FlexFEC mask holds bits 0...109")
        if offset < 64 { high |= 1 << (63 - offset) } else { low |= 1 << (127 - offset) }
    }

    public var isEmpty: Bool { high == 0 && low == 0 }

    /// The set bits, lowest first.
    public var offsets: [Int] { (0..<Self.capacity).filter(contains) }

    /// Set bits.
    public var count: Int { high.nonzeroBitCount + low.nonzeroBitCount }

    /// The wire length in bits: 15, 46 or 110.
    public var length: Int {
        let last = low != 0 ? 127 - low.trailingZeroBitCount : high != 0 ? 63 - high.trailingZeroBitCount : 0
        return Self.lengths.first { last < $0 }!
    }

    /// Bytes the mask takes on the wire with its k-bits: 2, 6 or 14.
    public var encodedSize: Int { [2, 6, 14][Self.lengths.firstIndex(of: length)!] }

    /// Bits `start..<start + count` as an integer, bit `start` the most significant.
    private func bits(_ start: Int, _ count: Int) -> UInt64 {
        (start..<start + count).reduce(UInt64(0)) { $0 << 1 | (contains($1) ? 1 : 0) }
    }

    /// Appends the mask with its k-bits (the 16 bits after SN base, then 32 and 64 more as needed).
    func encode(into out: inout [UInt8]) {
        let length = length
        out.appendUInt16((length > 15 ? 0x8000 : 0) | UInt16(bits(0, 15)))
        guard length > 15 else { return }
        out.appendUInt32((length > 46 ? 0x8000_0000 : 0) | UInt32(bits(15, 31)))
        guard length > 46 else { return }
        let rest = bits(46, 64)
        out.appendUInt32(UInt32(rest >> 32))
        out.appendUInt32(UInt32(truncatingIfNeeded: rest))
    }

    /// Reads a mask and its k-bits.
    static func decode(_ reader: inout ByteReader) throws(RTPError) -> FlexFECMask {
        var mask = FlexFECMask()
        func take(_ value: UInt64, bits count: Int, at start: Int) {
            for i in 0..<count where value >> (count - 1 - i) & 1 != 0 { mask.insert(start + i) }
        }
        let first = try reader.uint16()
        take(UInt64(first & 0x7FFF), bits: 15, at: 0)
        guard first & 0x8000 != 0 else { return mask }
        let second = try reader.uint32()
        take(UInt64(second & 0x7FFF_FFFF), bits: 31, at: 15)
        guard second & 0x8000_0000 != 0 else { return mask }
        let third = UInt64(try reader.uint32()) << 32 | UInt64(try reader.uint32())
        take(third, bits: 64, at: 46)
        return mask
    }
}
