import Testing
import TestSupport
@testable import SCTP

/// Wire encoding of every chunk type, byte for byte, and packets captured from other
/// stacks (RFC 9260 §3).
@Suite struct SCTPChunkCodecTests {
    /// A Chrome INIT as captured by Wireshark (quoted in libwebrtc's dcsctp tests):
    /// tag 0x0eddca08, a_rwnd 131072, 1000/1000 streams, initial TSN 1426601527, ECN,
    /// Forward-TSN-Supported, Supported Extensions, and AUTH's Random/HMAC/chunk list.
    static let chromeInit = [UInt8](hex:
        "138813880000000" + "0aa019d33" + "0100005a0eddca0800020000" + "03e803e85508363780000004"
        + "c000000480080009c00fc180" + "8200000080020024c5a86155" + "090e6f420050634cc8d6b908"
        + "dfd53e17c99cb143284eaf64" + "682ac2978004000600010000" + "8003000680c10000")

    @Test func decodesAndReencodesAChromeInit() throws {
        let packet = try SCTPPacket(decoding: Self.chromeInit)
        #expect(packet.sourcePort == 5000 && packet.destinationPort == 5000 && packet.verificationTag == 0)
        guard case .initiate(let initiate) = packet.chunks.first else {
            Issue.record("not an INIT: \(packet.chunks)")
            return
        }
        #expect(initiate.initiateTag == 0x0EDD_CA08)
        #expect(initiate.advertisedWindow == 131_072)
        #expect(initiate.outboundStreams == 1000 && initiate.inboundStreams == 1000)
        #expect(initiate.initialTSN == 1_426_601_527)
        #expect(initiate.supportsForwardTSN && initiate.supportsReconfig)
        #expect(initiate.parameters.contains(.supportedExtensions([0xC0, 0x0F, 0xC1, 0x80, 0x82])))
        // Unknown parameters are kept, padding rules (last parameter's padding outside
        // the chunk length) reproduced: the bytes and the checksum come out identical.
        #expect(packet.encoded == Self.chromeInit)
    }

    /// A COOKIE ACK bundled with a SACK (capture quoted in dcsctp's tests).
    @Test func decodesACapturedCookieAckAndSack() throws {
        let bytes = [UInt8](hex: "04d210e1697e3a4ec06e8b360b000004030000" + "10aea95252000200000000" + "0000")
        let packet = try SCTPPacket(decoding: bytes)
        #expect(packet.sourcePort == 1234 && packet.destinationPort == 4321 && packet.verificationTag == 0x697E_3A4E)
        #expect(packet.chunks == [.cookieAck, .sack(SCTPSackChunk(cumulativeTSN: 2_930_332_242, advertisedWindow: 131_072))])
        #expect(packet.encoded == bytes)
    }

    @Test func checksumIsStoredLeastSignificantByteFirst() {
        let packet = SCTPPacket(sourcePort: 5000, destinationPort: 5000, verificationTag: 0x1234_5678,
                                chunks: [.sack(SCTPSackChunk(cumulativeTSN: 999, advertisedWindow: 456))])
        #expect(packet.encoded == [UInt8](hex: "13881388123456780" + "7e83877030000100000" + "03e7000001c800000000"))
    }

    @Test func badChecksumIsRejectedUnlessSkipped() throws {
        var bytes = Self.chromeInit
        bytes[40] ^= 1
        #expect(throws: SCTPDecodeError.badChecksum) { try SCTPPacket(decoding: bytes) }
        #expect((try? SCTPPacket(decoding: bytes, verifyChecksum: false)) != nil)
    }

    func chunkBytes(_ chunk: SCTPChunk) -> String {
        chunk.encoded.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    func roundTrip(_ chunk: SCTPChunk) throws -> SCTPChunk {
        let packet = SCTPPacket(sourcePort: 1, destinationPort: 2, verificationTag: 3, chunks: [chunk])
        return try #require(try SCTPPacket(decoding: packet.encoded).chunks.first)
    }

    @Test func dataChunk() throws {
        let chunk = SCTPChunk.data(SCTPDataChunk(tsn: 0x0102_0304, stream: 5, ssn: 6, ppid: 51, unordered: true,
                                                 beginning: true, ending: false, userData: [0x61, 0x62, 0x63]))
        #expect(chunkBytes(chunk) == "00060013" + "01020304" + "00050006" + "00000033" + "616263" + "00")
        #expect(try roundTrip(chunk) == chunk)
    }

    @Test func initAndInitAck() throws {
        let initiate = SCTPInitChunk(initiateTag: 0xA1B2_C3D4, advertisedWindow: 0x0010_0000, outboundStreams: 65535,
                                     inboundStreams: 65535, initialTSN: 7,
                                     parameters: [.forwardTSNSupported, .supportedExtensions([0x82, 0xC0])])
        #expect(chunkBytes(.initiate(initiate)) == "0100001e" + "a1b2c3d4" + "00100000" + "ffffffff" + "00000007"
                + "c0000004" + "80080006" + "82c00000")
        #expect(try roundTrip(.initiate(initiate)) == .initiate(initiate))
        var ack = initiate
        ack.parameters = [.stateCookie([9, 8, 7, 6, 5])]
        #expect(chunkBytes(.initiateAck(ack)) == "0200001d" + "a1b2c3d4" + "00100000" + "ffffffff" + "00000007"
                + "00070009" + "0908070605" + "000000")
        #expect(try roundTrip(.initiateAck(ack)) == .initiateAck(ack))
    }

    @Test func sackWithGapsAndDuplicates() throws {
        let sack = SCTPChunk.sack(SCTPSackChunk(cumulativeTSN: 100, advertisedWindow: 5000,
                                                gaps: [SCTPGapBlock(start: 2, end: 3), SCTPGapBlock(start: 5, end: 5)],
                                                duplicates: [99]))
        #expect(chunkBytes(sack) == "0300001c" + "00000064" + "00001388" + "00020001" + "00020003" + "00050005" + "00000063")
        #expect(try roundTrip(sack) == sack)
    }

    @Test func controlChunks() throws {
        let cases: [(SCTPChunk, String)] = [
            (.heartbeat(info: [1, 2, 3]), "0400000b" + "00010007" + "010203" + "00"),
            (.heartbeatAck(info: [1, 2, 3, 4]), "0500000c" + "00010008" + "01020304"),
            (.abort(reflected: true, causes: [.userInitiatedAbort("x")]), "06010009" + "000c0005" + "78" + "000000"),
            (.shutdown(cumulativeTSN: 42), "07000008" + "0000002a"),
            (.shutdownAck, "08000004"),
            (.error([.staleCookie(.microseconds(1500))]), "0900000c" + "00030008" + "000005dc"),
            (.cookieEcho([0xAA, 0xBB]), "0a000006" + "aabb" + "0000"),
            (.cookieAck, "0b000004"),
            (.shutdownComplete(reflected: false), "0e000004"),
            (.forwardTSN(SCTPForwardTSNChunk(newCumulativeTSN: 10, streams: [SCTPSkippedStream(stream: 1, ssn: 2)])),
             "c000000c" + "0000000a" + "00010002"),
            (.reconfig([.outgoingReset(requestSequence: 1, responseSequence: 2, lastTSN: 3, streams: [4])]),
             "82000016" + "000d0012" + "00000001" + "00000002" + "00000003" + "0004" + "0000"),
            (.reconfig([.response(responseSequence: 1, result: .successPerformed)]),
             "82000010" + "0010000c" + "00000001" + "00000001"),
            (.unknown(type: 0x3F, flags: 0x55, value: [1]), "3f550005" + "01" + "000000"),
        ]
        for (chunk, hex) in cases {
            #expect(chunkBytes(chunk) == hex, "\(chunk)")
            #expect(try roundTrip(chunk) == chunk)
        }
    }

    @Test func malformedChunksThrow() {
        let header = [UInt8](hex: "000100020000000300000000")
        func packet(_ hex: String) -> [UInt8] {
            var bytes = header + [UInt8](hex: hex)
            let crc = SCTPPacket.checksum(bytes)
            bytes[8] = UInt8(truncatingIfNeeded: crc); bytes[9] = UInt8(truncatingIfNeeded: crc >> 8)
            bytes[10] = UInt8(truncatingIfNeeded: crc >> 16); bytes[11] = UInt8(truncatingIfNeeded: crc >> 24)
            return bytes
        }
        #expect(throws: SCTPDecodeError.badLength) { try SCTPPacket(decoding: packet("00000002")) }
        #expect(throws: SCTPDecodeError.truncated) { try SCTPPacket(decoding: packet("00000020" + "00000001")) }
        #expect(throws: SCTPDecodeError.invalidChunk(type: 0)) { try SCTPPacket(decoding: packet("00030010" + "00000001" + "00000000" + "00000000")) }
        #expect(throws: SCTPDecodeError.invalidChunk(type: 1)) {
            try SCTPPacket(decoding: packet("01000014" + "00000000" + "00001000" + "00010001" + "00000001"))
        }
        #expect(throws: SCTPDecodeError.badLength) { try SCTPPacket(decoding: packet("03000010" + "00000001" + "00001000" + "00010000")) }
        #expect(throws: SCTPDecodeError.invalidChunk(type: 3)) {
            try SCTPPacket(decoding: packet("03000014" + "00000001" + "00001000" + "00010000" + "00050002"))
        }
        #expect(throws: SCTPDecodeError.truncated) { try SCTPPacket(decoding: [UInt8](repeating: 0, count: 11)) }
    }
}
