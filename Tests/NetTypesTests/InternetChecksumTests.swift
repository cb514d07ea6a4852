import NetTypes
import Testing

/// The word-at-a-time checksum against RFC 1071's example and a plain 16-bit loop.
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
                var reference = UInt64(initial)
                var i = slice.startIndex
                while i + 1 < slice.endIndex {
                    reference += UInt64(slice[i]) << 8 | UInt64(slice[i + 1])
                    i += 2
                }
                if i < slice.endIndex { reference += UInt64(slice[i]) << 8 }
                while reference >> 16 != 0 { reference = (reference & 0xFFFF) + (reference >> 16) }
                #expect(InternetChecksum.fold(InternetChecksum.add(initial, slice)) == UInt16(reference), "start \(start) length \(length)")
            }
        }
    }
}
