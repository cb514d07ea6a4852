import NetTypes
import Testing
@testable import WebSocket

/// The opening handshake: RFC 6455 §1.3's example and every way a request or response is refused.
@Suite struct WebSocketHandshakeTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    static func request(_ lines: [String]) -> ArraySlice<UInt8> {
        Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)[...]
    }

    static let goodLines = ["GET /chat HTTP/1.1", "Host: server.example.com", "Upgrade: websocket", "Connection: Upgrade",
                            "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13"]

    /// RFC 6455 §1.3 (and the accept value Python's hashlib gives): ...ZRbK+xOo=.
    @Test func rfc6455Section13Example() throws {
        #expect(WebSocketHandshake.accept(forKey: Self.key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let bytes = Self.request(Self.goodLines + ["Origin: http://example.com", "Sec-WebSocket-Protocol: chat, superchat"])
        let parsed = try #require(try WebSocketHandshake.parseRequest(bytes))
        #expect(parsed.0 == WebSocketHandshake.Request(path: "/chat", host: "server.example.com", key: Self.key))
        #expect(parsed.1 == bytes.count)
        let response = WebSocketHandshake.response(key: Self.key)
        #expect(String(decoding: response, as: UTF8.self).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        #expect(try WebSocketHandshake.parseResponse(response[...], key: Self.key) == response.count)
    }

    @Test func theRequestWeSendIsAccepted() throws {
        var rng = Xoshiro256(seed: 7)
        let key = WebSocketHandshake.makeKey(using: &rng)
        #expect(WebSocketHandshake.isKey(key))
        let request = WebSocketHandshake.request(host: "sig:80", path: "/ws", key: key)
        #expect(try WebSocketHandshake.parseRequest(request[...])?.0 == WebSocketHandshake.Request(path: "/ws", host: "sig:80", key: key))
        // Incomplete heads wait for more.
        #expect(try WebSocketHandshake.parseRequest(request.dropLast(1)) == nil)
    }

    @Test func badRequestsAreRefused() {
        func lines(replacing prefix: String, with line: String?) -> [String] {
            Self.goodLines.compactMap { $0.hasPrefix(prefix) ? line : $0 }
        }
        let cases: [([String], WebSocketError)] = [
            (lines(replacing: "GET", with: "POST /chat HTTP/1.1"), .badHandshake("request line is not 'GET /path HTTP/1.1'")),
            (lines(replacing: "GET", with: "GET /chat HTTP/1.0"), .badHandshake("request line is not 'GET /path HTTP/1.1'")),
            (lines(replacing: "Host", with: nil), .badHandshake("no host field")),
            (Self.goodLines + ["Host: again"], .badHandshake("repeated host field")),
            (lines(replacing: "Upgrade", with: "Upgrade: h2c"), .badHandshake("no Upgrade: websocket")),
            (lines(replacing: "Connection", with: "Connection: keep-alive"), .badHandshake("no Connection: Upgrade")),
            (lines(replacing: "Sec-WebSocket-Key", with: "Sec-WebSocket-Key: c2hvcnQ="), .badHandshake("Sec-WebSocket-Key is not 16 bytes in base64")),
            (lines(replacing: "Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 8"), .unsupportedVersion("8")),
            (Self.goodLines + ["no colon here"], .badHandshake("malformed header line")),
            (Self.goodLines + ["Bad Name: x"], .badHandshake("malformed header line")),
        ]
        for (lines, expected) in cases {
            #expect(throws: expected, "\(lines)") { try WebSocketHandshake.parseRequest(Self.request(lines)) }
        }
        // Connection and Upgrade are token lists, case-insensitive.
        let listed = lines(replacing: "Connection", with: "Connection: keep-alive, UPGRADE")
        #expect(throws: Never.self) { try WebSocketHandshake.parseRequest(Self.request(listed)) }
        #expect(throws: WebSocketError.badHandshake("header block is not UTF-8")) {
            try WebSocketHandshake.parseRequest(Array([0xFF, 0xFE] + Array("\r\n\r\n".utf8))[...])
        }
        #expect(throws: WebSocketError.handshakeTooLong) {
            try WebSocketHandshake.parseRequest([UInt8](repeating: 0x41, count: WebSocketHandshake.maximumLength + 1)[...])
        }
        #expect(String(decoding: WebSocketHandshake.refusal(.unsupportedVersion("8")), as: UTF8.self).hasPrefix("HTTP/1.1 426 "))
        #expect(String(decoding: WebSocketHandshake.refusal(.badHandshake("x")), as: UTF8.self).hasPrefix("HTTP/1.1 400 "))
    }

    @Test func badResponsesAreRefused() {
        let good = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]
        let cases: [([String], WebSocketError)] = [
            (["HTTP/1.1 200 OK"] + good.dropFirst(), .badHandshake("status 200, not 101")),
            (["HTTP/1.0 101 Switching Protocols"] + good.dropFirst(), .badHandshake("status line is not HTTP/1.1")),
            (good.filter { !$0.hasPrefix("Upgrade") }, .badHandshake("no Upgrade: websocket")),
            (good.filter { !$0.hasPrefix("Connection") }, .badHandshake("no Connection: Upgrade")),
            (good.dropLast() + ["Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA="], .badHandshake("wrong Sec-WebSocket-Accept")),
            (Array(good.dropLast()), .badHandshake("no sec-websocket-accept field")),
        ]
        for (lines, expected) in cases {
            #expect(throws: expected, "\(lines)") { try WebSocketHandshake.parseResponse(Self.request(lines), key: Self.key) }
        }
    }
}
