import NetTypes
import Testing
@testable import WebSocket

/// The frame codec against RFC 6455's own examples (§5.7) and every malformed input the
/// decoder refuses.
@Suite struct WebSocketCodecTests {
    static let helloMask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

    /// Decodes `bytes` whole as a peer of the given role would.
    static func decode(_ bytes: [UInt8], fromClient: Bool, maximum: Int = 1 << 20) throws(WebSocketError) -> [WebSocketFrame] {
        var decoder = WebSocketFrameDecoder(peerIsClient: fromClient, maximumPayload: maximum)
        decoder.append(bytes)
        var frames: [WebSocketFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return frames
    }

    @Test func rfc6455Section57Examples() throws {
        let hello = Array("Hello".utf8)
        // A single-frame unmasked text message.
        let unmasked: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        #expect(WebSocketFrame(opcode: .text, payload: hello).encoded() == unmasked)
        #expect(try Self.decode(unmasked, fromClient: false) == [WebSocketFrame(opcode: .text, payload: hello)])
        // A single-frame masked text message.
        let masked: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(WebSocketFrame(opcode: .text, payload: hello).encoded(maskKey: Self.helloMask) == masked)
        #expect(try Self.decode(masked, fromClient: true) == [WebSocketFrame(opcode: .text, payload: hello)])
        // A fragmented unmasked text message.
        let fragmented: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F]
        let frames = try Self.decode(fragmented, fromClient: false)
        #expect(frames == [WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
                           WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8))])
        var assembler = WebSocketMessageAssembler(maximumMessage: 100)
        let first = try assembler.add(frames[0])
        let second = try assembler.add(frames[1])
        #expect(first == nil)
        #expect(second == .text("Hello"))
        // Unmasked ping, and a masked pong answering it.
        let ping: [UInt8] = [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        #expect(WebSocketFrame(opcode: .ping, payload: hello).encoded() == ping)
        let pong: [UInt8] = [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(WebSocketFrame(opcode: .pong, payload: hello).encoded(maskKey: Self.helloMask) == pong)
        #expect(try Self.decode(pong, fromClient: true) == [WebSocketFrame(opcode: .pong, payload: hello)])
        // 256 bytes of binary in one unmasked frame, and 64 KiB.
        let binary256 = [UInt8](repeating: 0xAB, count: 256)
        #expect(Array(WebSocketFrame(opcode: .binary, payload: binary256).encoded().prefix(4)) == [0x82, 0x7E, 0x01, 0x00])
        let binary64K = [UInt8](repeating: 0xCD, count: 65_536)
        let encoded64K = WebSocketFrame(opcode: .binary, payload: binary64K).encoded()
        #expect(Array(encoded64K.prefix(10)) == [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00])
        #expect(try Self.decode(encoded64K, fromClient: false) == [WebSocketFrame(opcode: .binary, payload: binary64K)])
    }

    @Test func framesArriveByteByByte() throws {
        let text = String(repeating: "ä", count: 100)
        let bytes = WebSocketFrame(opcode: .text, payload: Array(text.utf8)).encoded(maskKey: Self.helloMask)
        var decoder = WebSocketFrameDecoder(peerIsClient: true, maximumPayload: 1_000)
        var frames: [WebSocketFrame] = []
        for byte in bytes {
            decoder.append([byte])
            if let frame = try decoder.next() { frames.append(frame) }
        }
        #expect(frames == [WebSocketFrame(opcode: .text, payload: Array(text.utf8))])
        #expect(decoder.bufferedBytes == 0)
    }

    @Test func malformedFramesAreRefused() {
        let cases: [(String, [UInt8], Bool, WebSocketError)] = [
            ("unmasked from a client", [0x81, 0x01, 0x41], true, .unmaskedClientFrame),
            ("masked from a server", [0x81, 0x81, 1, 2, 3, 4, 0x41], false, .maskedServerFrame),
            ("RSV1", [0xC1, 0x01, 0x41], false, .reservedBits),
            ("RSV3", [0x91, 0x01, 0x41], false, .reservedBits),
            ("opcode 3", [0x83, 0x00], false, .reservedOpcode(3)),
            ("opcode 0xB", [0x8B, 0x00], false, .reservedOpcode(0xB)),
            ("16-bit length for 5 bytes", [0x81, 0x7E, 0x00, 0x05] + Array("Hello".utf8), false, .nonMinimalLength),
            ("64-bit length for 200 bytes", [0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 200], false, .nonMinimalLength),
            ("64-bit length with the top bit", [0x82, 0x7F, 0x80, 0, 0, 0, 0, 1, 0, 0], false, .nonMinimalLength),
            ("frame over the limit", [0x82, 0x7E, 0x10, 0x00], false, .tooLarge(4096)),
            ("ping of 126 bytes", [0x89, 0x7E, 0x00, 0x7E], false, .controlFrameTooLong(126)),
            ("fragmented ping", [0x09, 0x00], false, .fragmentedControlFrame),
        ]
        for (name, bytes, fromClient, expected) in cases {
            #expect(throws: expected, "\(name)") { try Self.decode(bytes, fromClient: fromClient, maximum: 1_000) }
        }
    }

    @Test func malformedMessagesAreRefused() throws {
        func assemble(_ frames: [WebSocketFrame]) throws(WebSocketError) -> [WebSocketMessage] {
            var assembler = WebSocketMessageAssembler(maximumMessage: 8)
            var messages: [WebSocketMessage] = []
            for frame in frames { if let message = try assembler.add(frame) { messages.append(message) } }
            return messages
        }
        let part = WebSocketFrame(fin: false, opcode: .text, payload: Array("abcd".utf8))
        #expect(throws: WebSocketError.invalidUTF8) { try assemble([WebSocketFrame(opcode: .text, payload: [0xC3, 0x28])]) }
        // UTF-8 split across fragments is fine; the joined bytes are checked.
        #expect(try assemble([WebSocketFrame(fin: false, opcode: .text, payload: [0xC3]), WebSocketFrame(opcode: .continuation, payload: [0xA4])])
                == [.text("ä")])
        #expect(throws: WebSocketError.tooLarge(9)) { try assemble([WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 0, count: 9))]) }
        #expect(throws: WebSocketError.tooLarge(10)) {
            try assemble([part, WebSocketFrame(opcode: .continuation, payload: Array("efghij".utf8))])
        }
        #expect(throws: WebSocketError.unexpectedContinuation) { try assemble([WebSocketFrame(opcode: .continuation, payload: [])]) }
        #expect(throws: WebSocketError.expectedContinuation) { try assemble([part, WebSocketFrame(opcode: .text, payload: [])]) }
        #expect(throws: WebSocketError.badCloseCode(3)) { try assemble([WebSocketFrame(opcode: .close, payload: [3])]) }
        #expect(throws: WebSocketError.badCloseCode(1005)) { try assemble([WebSocketFrame(opcode: .close, payload: [0x03, 0xED])]) }
        #expect(throws: WebSocketError.badCloseCode(999)) { try assemble([WebSocketFrame(opcode: .close, payload: [0x03, 0xE7])]) }
        #expect(throws: WebSocketError.invalidUTF8) { try assemble([WebSocketFrame(opcode: .close, payload: [0x03, 0xE8, 0xFF])]) }
        // Control frames between fragments come through at once.
        #expect(try assemble([part, WebSocketFrame(opcode: .ping, payload: [1]), WebSocketFrame(opcode: .continuation, payload: Array("e".utf8))])
                == [.ping([1]), .text("abcde")])
        #expect(try assemble([WebSocketFrame(opcode: .close, payload: [])]) == [.close(code: 1005, reason: "")])
    }

    @Test func closeReasonsAreCutOnACharacterBoundary() {
        let payload = WebSocketFrame.closePayload(code: 1008, reason: String(repeating: "é", count: 100))
        #expect(payload.count == 2 + 122)
        #expect(String(validating: payload[2...], as: UTF8.self) != nil)
    }
}
