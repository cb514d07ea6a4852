import NetTypes
import Testing
@testable import TCP

/// `TCPWireHeader` (NetTypes) against the TCP codec: what a middlebox reads and writes
/// without the TCP module must agree with full decoding and full checksum computation.
@Suite struct TCPWireHeaderTests {
    static func randomAddress(_ family: AddressFamily, _ rng: inout Xoshiro256) -> IPAddress {
        switch family {
        case .ipv4: return .v4(IPv4Address(UInt32(truncatingIfNeeded: rng.next())))
        case .ipv6: return .v6(IPv6Address(high: rng.next(), low: rng.next()))
        }
    }

    static func randomSegment(_ rng: inout Xoshiro256) -> TCPSegment {
        var options: [TCPOption] = []
        if rng.next() % 2 == 0 { options.append(.maximumSegmentSize(UInt16(truncatingIfNeeded: rng.next()))) }
        if rng.next() % 2 == 0 {
            options.append(.timestamps(value: UInt32(truncatingIfNeeded: rng.next()), echoReply: UInt32(truncatingIfNeeded: rng.next())))
        }
        return TCPSegment(sourcePort: UInt16(truncatingIfNeeded: rng.next()), destinationPort: UInt16(truncatingIfNeeded: rng.next()),
                          sequenceNumber: TCPSequence(UInt32(truncatingIfNeeded: rng.next())),
                          acknowledgmentNumber: TCPSequence(UInt32(truncatingIfNeeded: rng.next())),
                          flags: TCPFlags(rawValue: UInt8(truncatingIfNeeded: rng.next())), window: UInt16(truncatingIfNeeded: rng.next()),
                          options: options, payload: (0..<Int(rng.next() % 1500)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }

    @Test(arguments: AddressFamily.allCases)
    func incrementalRewriteEqualsFullRecomputation(family: AddressFamily) throws {
        var rng = Xoshiro256(seed: family == .ipv4 ? 4 : 6)
        for _ in 0..<2000 {
            var segment = Self.randomSegment(&rng)
            let (oldSource, oldDestination) = (Self.randomAddress(family, &rng), Self.randomAddress(family, &rng))
            let source = Endpoint(Self.randomAddress(family, &rng), UInt16(truncatingIfNeeded: rng.next()))
            let destination = Endpoint(Self.randomAddress(family, &rng), UInt16(truncatingIfNeeded: rng.next()))
            var bytes = segment.encode(source: oldSource, destination: oldDestination)
            let header = try #require(TCPWireHeader(bytes))
            #expect(header.sourcePort == segment.sourcePort && header.destinationPort == segment.destinationPort)
            #expect(header.sequenceNumber == segment.sequenceNumber.value && header.acknowledgmentNumber == segment.acknowledgmentNumber.value)
            #expect(header.controlBits == segment.flags.rawValue && header.headerLength == 20 + segment.paddedOptionsLength)
            #expect(header.isSYN == segment.flags.contains(.syn) && header.isACK == segment.flags.contains(.ack))
            #expect(header.isFIN == segment.flags.contains(.fin) && header.isRST == segment.flags.contains(.rst))

            // A quote of the first 24 bytes gets the same ports and checksum.
            var quote = Array(bytes.prefix(24))
            TCPWireHeader.rewrite(&bytes, from: oldSource, oldDestination, to: source, destination)
            TCPWireHeader.rewrite(&quote, from: oldSource, oldDestination, to: source, destination)
            segment.sourcePort = source.port
            segment.destinationPort = destination.port
            #expect(bytes == segment.encode(source: source.address, destination: destination.address))
            let decoded = try TCPSegment(decoding: bytes[...], source: source.address, destination: destination.address)
            #expect(decoded.sourcePort == source.port && decoded.destinationPort == destination.port)
            #expect(decoded.sequenceNumber == segment.sequenceNumber && decoded.payload == segment.payload)
            #expect(quote == Array(bytes.prefix(24)))
        }
    }

    @Test func aBadChecksumStaysBad() throws {
        let source = IPAddress.v4(IPv4Address(192, 168, 1, 2))
        let server = Endpoint(.v4(IPv4Address(203, 0, 113, 1)), 443)
        let outside = Endpoint(.v4(IPv4Address(198, 51, 100, 1)), 61000)
        var bytes = TCPSegment(sourcePort: 5000, destinationPort: 443, sequenceNumber: TCPSequence(1), flags: .syn, window: 1000)
            .encode(source: source, destination: server.address)
        bytes[17] ^= 0x40
        TCPWireHeader.rewrite(&bytes, from: source, server.address, to: outside, server)
        #expect(throws: TCPDecodeError.self) { try TCPSegment(decoding: bytes[...], source: outside.address, destination: server.address) }
    }

    @Test func shortBytesAreNeverTrapped() {
        let a = Endpoint(.v4(IPv4Address(10, 0, 0, 1)), 1)
        let b = Endpoint(.v4(IPv4Address(10, 0, 0, 2)), 2)
        for count in 0..<20 {
            var bytes = [UInt8](repeating: 0xAB, count: count)
            #expect(TCPWireHeader(bytes) == nil)
            #expect(TCPWireHeader.reset(answering: bytes, from: a, to: b) == nil)
            TCPWireHeader.rewrite(&bytes, from: a.address, b.address, to: b, a)
            #expect(bytes.count == count)
            if count >= 4 { #expect(bytes[0..<4] == [0, 2, 0, 1]) }
        }
    }

    @Test(arguments: AddressFamily.allCases)
    func resetsAnswerAsRFC9293Says(family: AddressFamily) throws {
        var rng = Xoshiro256(seed: 9)
        let client = Endpoint(Self.randomAddress(family, &rng), 5000)
        let server = Endpoint(Self.randomAddress(family, &rng), 80)
        let syn = TCPSegment(sourcePort: 5000, destinationPort: 80, sequenceNumber: TCPSequence(0xFFFF_FFFF), flags: .syn,
                             window: 1000, options: [.maximumSegmentSize(1460)], payload: [1, 2, 3])
        let answer = try #require(TCPWireHeader.reset(answering: syn.encode(source: client.address, destination: server.address),
                                                      from: server, to: client))
        let reset = try TCPSegment(decoding: answer[...], source: server.address, destination: client.address)
        #expect(reset == TCPSegment(sourcePort: 80, destinationPort: 5000, sequenceNumber: TCPSequence(0),
                                    acknowledgmentNumber: TCPSequence(3), flags: [.rst, .ack], window: 0))
        let ack = TCPSegment(sourcePort: 5000, destinationPort: 80, sequenceNumber: TCPSequence(7), acknowledgmentNumber: TCPSequence(99),
                             flags: .ack, window: 1000)
        let answerToACK = try #require(TCPWireHeader.reset(answering: ack.encode(source: client.address, destination: server.address),
                                                           from: server, to: client))
        #expect(try TCPSegment(decoding: answerToACK[...], source: server.address, destination: client.address)
            == TCPSegment(sourcePort: 80, destinationPort: 5000, sequenceNumber: TCPSequence(99), flags: .rst, window: 0))
        #expect(TCPWireHeader.reset(answering: answerToACK, from: client, to: server) == nil)
    }
}
