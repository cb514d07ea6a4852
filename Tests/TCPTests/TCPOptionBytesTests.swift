import NetTypes
import Testing
@testable import TCP

/// The option list's word-at-a-time paths against the byte-at-a-time ones they stand for.
@Suite struct TCPOptionBytesTests {
    /// RFC 7323 Appendix A's layout built in two stores is the same bytes as the three
    /// options appended one by one, and reads back through both the fast and the walking
    /// look-up.
    @Test func alignedTimestampsAreTheAppendedOptions() {
        var random = Xoshiro256(seed: 3)
        for _ in 0..<100 {
            let value = UInt32(truncatingIfNeeded: random.next()), echo = UInt32(truncatingIfNeeded: random.next())
            var appended = TCPOptionBytes()
            appended.append(.noOperation)
            appended.append(.noOperation)
            appended.append(.timestamps(value: value, echoReply: echo))
            let aligned = TCPOptionBytes.alignedTimestamps(value: value, echoReply: echo)
            #expect(aligned == appended)
            #expect(aligned.bytes == [1, 1, 8, 10] + bigEndian(value) + bigEndian(echo))
            #expect(aligned.timestamps?.value == value && aligned.timestamps?.echoReply == echo)
        }
    }

    /// Timestamps elsewhere in the list (after a SACK-permitted option, or unpadded) are
    /// still found by the walk; a list that merely starts with NOP, NOP has none.
    @Test func timestampsOutsideTheAlignedLayoutAreFound() {
        var first = TCPOptionBytes()
        first.append(.timestamps(value: 7, echoReply: 9))
        #expect(first.timestamps?.value == 7 && first.timestamps?.echoReply == 9)
        var later = TCPOptionBytes()
        later.append(.sackPermitted)
        later.append(.timestamps(value: 0xDEAD_BEEF, echoReply: 1))
        #expect(later.timestamps?.value == 0xDEAD_BEEF && later.timestamps?.echoReply == 1)
        var none = TCPOptionBytes()
        none.append(.noOperation)
        none.append(.noOperation)
        none.append(.windowScale(7))
        #expect(none.timestamps == nil)
    }

    /// Validated lists of every length hold the bytes they were given, and write them
    /// back out (whole words, then a half word) unchanged, zero-padded to a multiple of
    /// four.
    @Test func validatedBytesCopyOutUnchanged() throws {
        for length in 0...40 {
            // No-operations with one unknown option of the remaining length at the end.
            var bytes = [UInt8](repeating: 1, count: length)
            if length >= 4 { bytes[length - 4] = 99; bytes[length - 3] = 4; bytes[length - 2] = 0xAB; bytes[length - 1] = 0xCD }
            let options = try TCPOptionBytes(validating: bytes[...])
            #expect(options.bytes == bytes, "length \(length)")
            let padded = (length + 3) & ~3
            var out = [UInt8](repeating: 0xEE, count: padded)
            out.withUnsafeMutableBytes { options.copyPadded(to: $0) }
            #expect(out == bytes + [UInt8](repeating: 0, count: padded - length), "length \(length)")
        }
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
