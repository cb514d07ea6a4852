import NetTypes
import Testing
@testable import TCP

@Suite struct TCPSegmentCodecTests {
    static let source = IPAddress.v4(IPv4Address(192, 0, 2, 1))
    static let destination = IPAddress.v4(IPv4Address(198, 51, 100, 2))

    /// A SYN as Linux writes it: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7.
    static let syn = TCPSegment(
        sourcePort: 49152, destinationPort: 80, sequenceNumber: TCPSequence(0x0102_0304), flags: .syn, window: 65535,
        options: [.maximumSegmentSize(1460), .sackPermitted, .timestamps(value: 0x1122_3344, echoReply: 0),
                  .noOperation, .windowScale(7)])

    @Test func synEncodesByteForByte() {
        let expected: [UInt8] = [
            0xC0, 0x00, 0x00, 0x50,  // ports 49152 → 80
            0x01, 0x02, 0x03, 0x04,  // sequence number
            0x00, 0x00, 0x00, 0x00,  // acknowledgment number
            0xA0, 0x02, 0xFF, 0xFF,  // data offset 10 words, SYN, window 65535
            0x53, 0x0C, 0x00, 0x00,  // checksum (computed independently), urgent pointer
            0x02, 0x04, 0x05, 0xB4,  // MSS 1460
            0x04, 0x02,              // SACK permitted
            0x08, 0x0A, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00,  // timestamps
            0x01,                    // NOP
            0x03, 0x03, 0x07,        // window scale 7
        ]
        let bytes = Self.syn.encode(source: Self.source, destination: Self.destination)
        #expect(bytes == expected)
        // The checksum verifies: the sum over pseudo-header and segment folds to 0xFFFF.
        let sum = InternetChecksum.add(InternetChecksum.pseudoHeaderSum(source: Self.source, destination: Self.destination,
                                                                         protocolNumber: 6, length: bytes.count), bytes[...])
        #expect(InternetChecksum.fold(sum) == 0xFFFF)
    }

    @Test func synDecodesToTheSameSegment() throws {
        let bytes = Self.syn.encode(source: Self.source, destination: Self.destination)
        let decoded = try TCPSegment(decoding: bytes[...], source: Self.source, destination: Self.destination)
        #expect(decoded == Self.syn)
        #expect(decoded.maximumSegmentSize == 1460)
        #expect(decoded.windowScale == 7)
        #expect(decoded.isSACKPermitted)
        #expect(decoded.timestamps?.value == 0x1122_3344)
        #expect(decoded.sequenceLength == 1)
    }

    @Test func dataSegmentWithSACKBlocksRoundTripsOverIPv6() throws {
        let v6a = IPAddress.v6(try IPv6Address(parsing: "2001:db8::1"))
        let v6b = IPAddress.v6(try IPv6Address(parsing: "2001:db8::2"))
        let segment = TCPSegment(
            sourcePort: 443, destinationPort: 50000, sequenceNumber: TCPSequence(0xFFFF_FFF0),
            acknowledgmentNumber: TCPSequence(7), flags: [.ack, .psh, .fin], window: 1234,
            options: [.noOperation, .noOperation, .timestamps(value: 1, echoReply: 2), .noOperation, .noOperation,
                      .sack([TCPSACKBlock(start: TCPSequence(100), end: TCPSequence(200)),
                             TCPSACKBlock(start: TCPSequence(0xFFFF_FF00), end: TCPSequence(5))])],
            payload: pattern(333))
        let bytes = segment.encode(source: v6a, destination: v6b)
        #expect(bytes.count == 20 + 32 + 333)
        let decoded = try TCPSegment(decoding: bytes[...], source: v6a, destination: v6b)
        #expect(decoded == segment)
        #expect(decoded.encode(source: v6a, destination: v6b) == bytes)
        #expect(decoded.sequenceLength == 334)
    }

    @Test func unknownOptionsAreKeptAndEndOfListStopsTheList() throws {
        let segment = TCPSegment(sourcePort: 1, destinationPort: 2, sequenceNumber: TCPSequence(3), flags: .ack, window: 4,
                                 options: [.unknown(kind: 30, data: [1, 2, 3, 4]), .endOfOptionList])
        let bytes = segment.encode(source: Self.source, destination: Self.destination)
        #expect(bytes.count == 28)
        let decoded = try TCPSegment(decoding: bytes[...], source: Self.source, destination: Self.destination)
        #expect(decoded.options == [.unknown(kind: 30, data: [1, 2, 3, 4]), .endOfOptionList])
    }

    @Test func malformedSegmentsGiveTypedErrors() {
        let good = Self.syn.encode(source: Self.source, destination: Self.destination)
        #expect(throws: TCPDecodeError.truncatedHeader(length: 19)) { try TCPSegment(decoding: good[0..<19]) }
        var offset = good
        offset[12] = 0x40
        #expect(throws: TCPDecodeError.badDataOffset(words: 4, length: 40)) { try TCPSegment(decoding: offset[...]) }
        offset[12] = 0xF0
        #expect(throws: TCPDecodeError.badDataOffset(words: 15, length: 40)) { try TCPSegment(decoding: offset[...]) }
        var optionLength = good
        optionLength[21] = 9  // MSS length runs past the header
        #expect(throws: TCPDecodeError.wrongOptionLength(kind: 2, length: 9)) { try TCPSegment(decoding: optionLength[...]) }
        optionLength[21] = 30
        #expect(throws: TCPDecodeError.badOptionLength(kind: 2, length: 30)) { try TCPSegment(decoding: optionLength[...]) }
        var checksum = good
        checksum[16] ^= 0x01
        #expect(throws: TCPDecodeError.badChecksum(found: 0x520C, expected: 0x530C)) {
            try TCPSegment(decoding: checksum[...], source: Self.source, destination: Self.destination)
        }
    }

    @Test func sequenceNumbersCompareModulo2To32() {
        let nearWrap = TCPSequence(0xFFFF_FF00)
        let wrapped = nearWrap + 0x200
        #expect(wrapped.value == 0x100)
        #expect(nearWrap < wrapped)
        #expect(!(wrapped < nearWrap))
        #expect(wrapped - nearWrap == 0x200)
        #expect(nearWrap - wrapped == -0x200)
        #expect(TCPSequence(0) < TCPSequence(0x7FFF_FFFF))
        #expect(TCPSequence(0x8000_0001) < TCPSequence(0))
    }

    /// 100 000 mutations of valid segments (bit flips, byte overwrites, truncations,
    /// extensions) decode or fail with a typed error; none traps, and whatever decodes
    /// re-encodes to a segment that decodes to the same value.
    @Test func mutatedSegmentsNeverTrap() throws {
        var rng = Xoshiro256(seed: 19)
        let seeds: [[UInt8]] = [
            Self.syn.encode(source: Self.source, destination: Self.destination),
            TCPSegment(sourcePort: 5, destinationPort: 6, sequenceNumber: TCPSequence(9), acknowledgmentNumber: TCPSequence(10),
                       flags: .ack, window: 100,
                       options: [.noOperation, .noOperation, .sack([TCPSACKBlock(start: TCPSequence(1), end: TCPSequence(2))])],
                       payload: pattern(40)).encode(source: Self.source, destination: Self.destination),
        ]
        var decodedCount = 0
        for i in 0..<100_000 {
            var bytes = seeds[i % seeds.count]
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                switch rng.next() % 4 {
                case 0: bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1) << (rng.next() % 8)
                case 1: bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                case 2: bytes.removeLast(Int(rng.next() % UInt64(min(bytes.count, 24))))
                default: bytes.append(contentsOf: (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
                }
                if bytes.isEmpty { bytes = [0] }
            }
            if let segment = try? TCPSegment(decoding: bytes[...]) {
                decodedCount += 1
                if segment.paddedOptionsLength <= TCPSegment.maximumOptionsLength {
                    let again = segment.encode(source: Self.source, destination: Self.destination)
                    #expect(try TCPSegment(decoding: again[...], source: Self.source, destination: Self.destination) == segment)
                }
            }
        }
        #expect(decodedCount > 1000)
    }
}
