/// The internet checksum (RFC 1071) and the transport pseudo-header sum (RFC 768,
/// RFC 9293 §3.1, RFC 8200 §8.1): one implementation for the simulator's synthesised
/// headers, its NAT rewrites and the TCP codec.
///
/// Sums are carried unfolded in a `UInt32` so that pieces (pseudo-header, header, payload)
/// can be added separately; `fold` reduces a sum to 16 bits and the checksum is its
/// complement.
public enum InternetChecksum {
    /// `initial` plus the big-endian 16-bit words of `bytes` (an odd last byte is padded
    /// with zero), end-around carries folded back in.
    ///
    /// Reads the words in little-endian order and swaps the folded result: the one's
    /// complement sum does not depend on byte order (RFC 1071 §2(B)), nor on when the
    /// carries are folded in (§2(C)), so 32 bytes at a time go into sixteen 32-bit lanes
    /// (vector adds) and the rest eight bytes at a time. Every TCP segment the simulator
    /// carries is summed twice (sent and verified): measured 3.6 times faster than eight
    /// bytes at a time on 1,460 bytes.
    @inlinable
    public static func add(_ initial: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { add(initial, $0) }
    }

    /// `add(_:_:)` over bytes in memory.
    @inlinable
    public static func add(_ initial: UInt32, _ raw: UnsafeRawBufferPointer) -> UInt32 {
        let swapped: UInt64 = {
            var sum: UInt64 = 0
            var i = 0
            let n = raw.count
            while i + 32 <= n {
                // A lane gains at most 0xFFFF a step: 65,536 steps cannot overflow it.
                let end = min(n, i + 32 * 65_536)
                var lanes = SIMD16<UInt32>(repeating: 0)
                while i + 32 <= end {
                    lanes &+= SIMD16<UInt32>(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt16>.self))
                    i += 32
                }
                sum &+= (SIMD8<UInt64>(truncatingIfNeeded: lanes.lowHalf) &+ SIMD8<UInt64>(truncatingIfNeeded: lanes.highHalf)).wrappedSum()
            }
            while i + 8 <= n {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                sum &+= (word & 0xFFFF_FFFF) &+ (word >> 32)
                i += 8
            }
            if i + 4 <= n {
                sum &+= UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                i += 4
            }
            if i + 2 <= n {
                sum &+= UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
                i += 2
            }
            if i < n { sum &+= UInt64(raw[i]) }  // the odd last byte, high in its big-endian word
            while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
            return UInt64(UInt16(truncatingIfNeeded: sum).byteSwapped)
        }()
        var total = UInt64(initial) + swapped
        while total >> 32 != 0 { total = (total & 0xFFFF_FFFF) + (total >> 32) }
        return UInt32(total)
    }

    /// `sum` folded to 16 bits (end-around carry).
    @inlinable
    public static func fold(_ sum: UInt32) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
        return UInt16(s)
    }

    /// The RFC 1071 checksum of `bytes`: the complement of their folded sum.
    @inlinable
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 { ~fold(add(0, bytes)) }

    /// The sum over the pseudo-header of a transport segment of `length` bytes between
    /// `source` and `destination` with IP protocol `protocolNumber`: RFC 768 / RFC 9293
    /// §3.1 for IPv4, RFC 8200 §8.1 for IPv6. A mixed pair (which the simulated wire does
    /// not carry) is summed as IPv6 with the IPv4 address IPv4-mapped, as an IPv6 header
    /// would write it.
    public static func pseudoHeaderSum(source: IPAddress, destination: IPAddress, protocolNumber: UInt8, length: Int) -> UInt32 {
        switch (source, destination) {
        case (.v4(let s), .v4(let d)):
            return wordSum(s) + wordSum(d) + UInt32(protocolNumber) + UInt32(length)
        default:
            return ipv6WordSum(source) + ipv6WordSum(destination) + UInt32(length >> 16) + UInt32(length & 0xFFFF)
                + UInt32(protocolNumber)
        }
    }

    /// The sum of the two 16-bit words of `address` (no allocation: a NAT sums addresses
    /// for every TCP segment it rewrites).
    static func wordSum(_ address: IPv4Address) -> UInt32 { (address.value >> 16) + (address.value & 0xFFFF) }

    /// The sum of the eight 16-bit words an IPv6 header carries for `address` (IPv4
    /// addresses IPv4-mapped, as `ipv6Bytes` writes them).
    static func ipv6WordSum(_ address: IPAddress) -> UInt32 {
        switch address {
        case .v4(let a): return 0xFFFF + wordSum(a)
        case .v6(let a): return wordSum(a.high) + wordSum(a.low)
        }
    }

    /// The sum of the four 16-bit words of `half`.
    static func wordSum(_ half: UInt64) -> UInt32 {
        UInt32(half >> 48) + UInt32(half >> 32 & 0xFFFF) + UInt32(half >> 16 & 0xFFFF) + UInt32(half & 0xFFFF)
    }

    /// The 16 bytes an IPv6 header carries for `address` (IPv4 addresses IPv4-mapped).
    public static func ipv6Bytes(_ address: IPAddress) -> [UInt8] {
        switch address {
        case .v6(let a): return a.bytes
        case .v4(let a): return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + a.bytes
        }
    }
}
