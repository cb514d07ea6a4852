import NetTypes
import Testing
@testable import STUN

/// RFC 8489 §6.2.2 / RFC 8656 §12.5 framing of STUN and ChannelData over TCP and TLS.
@Suite struct StreamFramerTests {
    /// Two STUN messages and two ChannelData messages (one needing padding) back to back.
    static let frames: [[UInt8]] = [
        STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 1, low: 2),
                    attributes: [.software("icelab")]).encoded(),
        ChannelData(channelNumber: 0x4001, data: [1, 2, 3, 4, 5]).encoded(stream: true),
        ChannelData(channelNumber: 0x4FFF, data: []).encoded(stream: true),
        STUNMessage(type: .bindingSuccess, transactionID: STUNTransactionID(high: 3, low: 4),
                    attributes: [.xorMappedAddress(Endpoint(try! IPAddress(parsing: "10.0.0.1"), 5000))]).encoded(),
    ]
    static let stream = frames.flatMap { $0 }

    @Test func paddedChannelDataKeepsItsPadding() {
        #expect(Self.frames[1].count == 12)
        #expect(Self.frames[2].count == 4)
    }

    @Test func everySplitPointGivesTheSameFrames() throws {
        for split in 0...Self.stream.count {
            var framer = STUNStreamFramer()
            var out: [[UInt8]] = []
            framer.append(Array(Self.stream[..<split]))
            out += try framer.frames()
            framer.append(Array(Self.stream[split...]))
            out += try framer.frames()
            #expect(out == Self.frames, "split at \(split)")
            #expect(framer.pendingByteCount == 0)
        }
    }

    @Test func byteByByte() throws {
        var framer = STUNStreamFramer()
        var out: [[UInt8]] = []
        for byte in Self.stream {
            framer.append([byte])
            out += try framer.frames()
        }
        #expect(out == Self.frames)
    }

    @Test func everyTwoSplitPointsOfTheFirstFrames() throws {
        let prefix = Array(Self.stream.prefix(Self.frames[0].count + Self.frames[1].count + 4))
        for a in 0...prefix.count {
            for b in a...prefix.count {
                var framer = STUNStreamFramer()
                var out: [[UInt8]] = []
                for chunk in [prefix[..<a], prefix[a..<b], prefix[b...]] {
                    framer.append(Array(chunk))
                    out += try framer.frames()
                }
                #expect(out == Array(Self.frames.prefix(3)))
            }
        }
    }

    @Test func garbageStopsTheStream() {
        var framer = STUNStreamFramer()
        framer.append([0xC3, 0x00, 0x00, 0x00, 0x00])
        #expect(throws: STUNStreamFramingError.notSTUNOrChannelData(firstByte: 0xC3)) { try framer.next() }
        framer.append(Self.frames[0])
        #expect(throws: STUNStreamFramingError.self) { try framer.next() }
        #expect(framer.pendingByteCount == 0)
    }

    /// A TLS ClientHello sent to a plain TCP listener starts like STUN (0x16) and fails the
    /// length or cookie check at once. (HTTP text is not caught this early: "GET" and
    /// "POST" start like ChannelData on channel 0x4745 or 0x504F and wait for their bytes.)
    @Test func aTLSClientHelloOnAPlainStreamFails() {
        var framer = STUNStreamFramer()
        framer.append([0x16, 0x03, 0x01, 0x01, 0x2C, 0x01, 0x00, 0x01, 0x28, 0x03, 0x03])
        #expect(throws: STUNStreamFramingError.self) { try framer.next() }
    }

    @Test func stunHeaderWithoutCookieOrWithUnalignedLength() {
        var framer = STUNStreamFramer()
        framer.append([0x00, 0x01, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF])
        #expect(throws: STUNStreamFramingError.missingMagicCookie) { try framer.next() }
        var unaligned = STUNStreamFramer()
        unaligned.append([0x00, 0x01, 0x00, 0x05])
        #expect(throws: STUNStreamFramingError.unalignedLength(5)) { try unaligned.next() }
    }

    @Test func aDeclaredLengthWaitsForItsBytesWithinTheBound() throws {
        var framer = STUNStreamFramer()
        framer.append([0x40, 0x00, 0xFF, 0xFF] + [UInt8](repeating: 7, count: 1000))
        #expect(try framer.next() == nil)
        framer.append([UInt8](repeating: 7, count: 65_535 + 1 - 1000))
        let frame = try #require(try framer.next())
        #expect(frame.count == 4 + 65_536)
        #expect(frame.count <= STUNStreamFramer.maximumFrameSize)
    }

    @Test func randomInputNeverTraps() {
        var rng = Xoshiro256(seed: 99)
        for _ in 0..<2_000 {
            var framer = STUNStreamFramer()
            for _ in 0..<4 {
                let count = Int(rng.next() % 64)
                framer.append((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
                _ = try? framer.frames()
            }
            #expect(framer.pendingByteCount <= STUNStreamFramer.maximumFrameSize + 256)
        }
    }
}
