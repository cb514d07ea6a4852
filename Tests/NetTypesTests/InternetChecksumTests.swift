import NetTypes
import Testing

/// The vector and word-at-a-time checksum against RFC 1071's example and a plain 16-bit loop.
@Suite struct InternetChecksumTests {
    /// RFC 1071 §3's numerical example: the words 0001 f203 f4f5 f6f7 sum to 2ddf0,
    /// folded ddf2.
    @Test func rfc1071Example() {
        let bytes: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
        #expect(InternetChecksum.fold(InternetChecksum.add(0, bytes[...])) == 0xDDF2)
        #expect(InternetChecksum.checksum(bytes[...]) == 0x220D)
    }

    /// Every length from 0 to 80 at every start offset of a slice, with random initial
    /// sums: the same folded sum as big-endian words added one by one.
    @Test func matchesAWordByWordSum() {
        var random = Xoshiro256(seed: 7)
        let data = (0..<96).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for start in 0..<8 {
            for length in 0...80 {
                let slice = data[start..<start + length]
                let initial = UInt32(truncatingIfNeeded: random.next() >> 40)
                #expect(InternetChecksum.fold(InternetChecksum.add(initial, slice)) == Self.wordByWordSum(initial, slice),
                        "start \(start) length \(length)")
            }
        }
    }

    /// Past the 32-byte lanes' fold point (2 MiB): all-ones bytes, the most carries, and
    /// random bytes, against the word-by-word sum.
    @Test func longInputsMatchAWordByWordSum() {
        var random = Xoshiro256(seed: 11)
        let length = 32 * 65_536 + 37
        for data in [[UInt8](repeating: 0xFF, count: length), (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }] {
            let slice = data[1...]
            #expect(InternetChecksum.fold(InternetChecksum.add(0, slice)) == Self.wordByWordSum(0, slice))
        }
    }

    /// `initial` plus the big-endian 16-bit words of `slice` one by one, folded.
    static func wordByWordSum(_ initial: UInt32, _ slice: ArraySlice<UInt8>) -> UInt16 {
        var sum = UInt64(initial)
        var i = slice.startIndex
        while i + 1 < slice.endIndex {
            sum += UInt64(slice[i]) << 8 | UInt64(slice[i + 1])
            i += 2
        }
        if i < slice.endIndex { sum += UInt64(slice[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return UInt16(sum)
    }
}
